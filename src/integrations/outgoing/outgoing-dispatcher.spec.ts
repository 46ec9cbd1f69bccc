import { anIntegration } from '../../../test/support/factories';
import { AppConfig } from '../../core/config/app-config';
import { ChangeFeed } from '../../core/database/change-feed';
import { PendingEvent, OutboxService } from '../../events/outbox.service';
import { Integration } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { DeliveryQueue, NewDelivery } from './delivery-queue';
import { DeliveryWorker } from './delivery-worker';
import { ListenedEvents } from './listened-events';
import { OutgoingDispatcher } from './outgoing-dispatcher';

/** What the dispatcher uses of each collaborator: the fakes implement only that. */
type DispatcherOutbox = Pick<OutboxService, 'setInterest' | 'setDirectWriter' | 'onCommitted' | 'pending' | 'takeWith'>;
type DispatcherQueue = Pick<DeliveryQueue, 'enqueueChange' | 'announce'>;
type DispatcherWorker = Pick<DeliveryWorker, 'wouldTake' | 'take'>;
type DispatcherStore = Pick<IntegrationStore, 'listeningTo'>;

const room = { _id: 'R1', t: 'c', name: 'general', ts: '2026-01-01T00:00:00.000Z' };
const message = (fields: Record<string, unknown> = {}) => ({ _id: 'M1', rid: 'R1', msg: 'hello', ts: '2026-12-07T10:00:00.000Z', u: { _id: 'u1', username: 'alice' }, ...fields });
const sent = (fields: { _id?: string } & Record<string, unknown> = {}): PendingEvent => ({ id: `e-${fields._id ?? 'M1'}`, event: 'sendMessage', payload: { message: message(fields), room }, createdAt: new Date() }) as unknown as PendingEvent;

/** A dispatcher over fakes whose listeners are `listeners`; returns what it queued for `events`. */
async function dispatch(listeners: Integration[], events: PendingEvent[]): Promise<NewDelivery[]> {
  const queued: NewDelivery[] = [];
  const outbox: DispatcherOutbox = {
    setInterest: () => undefined,
    setDirectWriter: () => undefined,
    onCommitted: () => undefined,
    pending: () => Promise.resolve(events),
    takeWith: <R>(_ids: string[], changeFor: (taken: string) => unknown) => {
      changeFor('taken');
      return Promise.resolve([] as R[]);
    },
  };
  const queue: DispatcherQueue = {
    enqueueChange: (jobs: NewDelivery[]) => {
      queued.push(...jobs);
      return { sql: '', params: [], queued: () => [] };
    },
    announce: () => undefined,
  };
  const worker: DispatcherWorker = { wouldTake: (jobs) => jobs.map(() => false), take: () => undefined };
  const store: DispatcherStore = { listeningTo: () => Promise.resolve(listeners) };
  const changes = { onChange: () => undefined, live: true } as unknown as ChangeFeed;
  const listened = { wants: () => true } as unknown as ListenedEvents;
  const config = { rootUrl: 'https://chat.example.com' } as AppConfig;
  const dispatcher = new OutgoingDispatcher(outbox as OutboxService, queue as DeliveryQueue, worker as DeliveryWorker, store as IntegrationStore, config, changes, listened, undefined as never);
  await (dispatcher as unknown as { tick(): Promise<number> }).tick();
  return queued;
}

describe('OutgoingDispatcher (fakes)', () => {
  it('queues one delivery per url of each listener, with the event’s body', async () => {
    const listener = anIntegration({ id: 'I1', urls: ['http://a.test/1', 'http://b.test/2'] });
    const jobs = await dispatch([listener], [sent()]);
    expect(jobs.map((j) => [j.integrationId, j.url])).toEqual([
      ['I1', 'http://a.test/1'],
      ['I1', 'http://b.test/2'],
    ]);
    expect(jobs[0].payload).toMatchObject({ text: 'hello', channel_name: 'general', user_name: 'alice', siteUrl: 'https://chat.example.com' });
  });

  it('applies trigger words: a prefix by default, anywhere when asked, and names the word that fired', async () => {
    const prefix = anIntegration({ id: 'prefix', triggerWords: ['!deploy', '!ship'] });
    const anywhere = anIntegration({ id: 'anywhere', triggerWords: ['deploy'], triggerWordAnywhere: true });
    const jobs = await dispatch([prefix, anywhere], [sent({ _id: 'M1', msg: '!ship it' }), sent({ _id: 'M2', msg: 'please deploy' }), sent({ _id: 'M3', msg: 'nothing here' })]);
    expect(jobs.map((j) => [j.integrationId, j.payload.message_id, j.payload.trigger_word])).toEqual([
      ['prefix', 'M1', '!ship'],
      ['anywhere', 'M2', 'deploy'],
    ]);
  });

  it('never triggers an integration with its own replies, but does trigger the others', async () => {
    const replier = anIntegration({ id: 'replier' });
    const other = anIntegration({ id: 'other' });
    const jobs = await dispatch([replier, other], [sent({ bot: { i: 'replier' } })]);
    expect(jobs.map((j) => j.integrationId)).toEqual(['other']);
  });

  it('skips edits unless the integration runs on edits', async () => {
    const plain = anIntegration({ id: 'plain' });
    const onEdits = anIntegration({ id: 'onEdits', runOnEdits: true });
    const jobs = await dispatch([plain, onEdits], [sent({ editedAt: '2026-12-07T10:01:00.000Z' })]);
    expect(jobs.map((j) => j.integrationId)).toEqual(['onEdits']);
  });

  it('marks deliveries of rate-limited integrations as throttled (their send times come from a claim)', async () => {
    const jobs = await dispatch([anIntegration({ id: 'slow', deliveryRateLimit: 2 }), anIntegration({ id: 'fast' })], [sent()]);
    expect(jobs.map((j) => [j.integrationId, j.throttled])).toEqual([
      ['slow', true],
      ['fast', false],
    ]);
  });
});
