import { anIntegration, aUser } from '../../../test/support/factories';
import { ApiError } from '../../core/http/api-error';
import { MessagePoster, PostResult, WebhookPayload } from '../../messages/message-poster';
import { UsersService } from '../../users/users.service';
import { INCOMING, Integration } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { ScriptSandbox } from '../scripts/script-sandbox';
import { IncomingCallFacts, IncomingCallLog } from './incoming-call-log';
import { IncomingService } from './incoming.service';

/** What the service uses of each collaborator: the fakes implement only that. */
type IncomingSandbox = Pick<ScriptSandbox, 'shouldRun' | 'call'>;
type IncomingPoster = Pick<MessagePoster, 'post' | 'postEach'>;
type IncomingUsers = Pick<UsersService, 'cachedById' | 'findById' | 'findByExactUsername'>;
type IncomingCalls = Pick<IncomingCallLog, 'record'>;

const bot = aUser({ id: 'bot', username: 'bot', type: 'bot' });
const hook = (fields: Partial<Integration> = {}) => anIntegration({ id: 'H1', type: INCOMING, userId: 'bot', channel: ['#general'], event: null, urls: null, ...fields });

/** An IncomingService over fakes; `script` (when given) is what process_incoming_request returns. */
function setUp({ script, postFails }: { script?: unknown; postFails?: ApiError } = {}) {
  const posted: { payload: WebhookPayload; defaults: unknown }[] = [];
  const recorded: IncomingCallFacts[] = [];
  const sandbox: IncomingSandbox = { shouldRun: () => script !== undefined, call: () => Promise.resolve(script) };
  const post = (_user: unknown, payload: WebhookPayload, defaults: unknown): Promise<PostResult[]> => {
    if (postFails) return Promise.reject(postFails);
    posted.push({ payload, defaults });
    return Promise.resolve([{ channel: '#general', message: { _id: 'M1' } } as PostResult]);
  };
  const poster: IncomingPoster = { post, postEach: post };
  const users: IncomingUsers = {
    cachedById: (id: string) => Promise.resolve(id === bot.id ? bot : null),
    findById: () => Promise.resolve(null),
    findByExactUsername: () => Promise.resolve(null),
  };
  const calls: IncomingCalls = { record: (facts: IncomingCallFacts) => void recorded.push(facts) };
  const service = new IncomingService(sandbox as ScriptSandbox, poster as MessagePoster, users as UsersService, {} as IntegrationStore, calls as IncomingCallLog);
  const call = (integration: Integration, body: unknown) =>
    service.handle(integration, { method: 'POST', url: '/hooks/H1/t', params: {}, query: {}, headers: {}, rawBody: JSON.stringify(body) }, () => body as Record<string, unknown>);
  return { call, posted, recorded };
}

/** The status and body an attempt is answered with. */
async function answer(attempt: Promise<unknown>): Promise<[number, unknown]> {
  try {
    return [200, await attempt];
  } catch (error) {
    if (ApiError.is(error)) return [error.status, error.body];
    throw error;
  }
}

describe('IncomingService.execute (fakes)', () => {
  it('posts the body as the hook’s user, marked as the integration’s, with its defaults', async () => {
    const { call, posted, recorded } = setUp();
    expect(await answer(call(hook({ alias: 'Hooky' }), { text: 'hi' }))).toEqual([200, { success: true }]);
    expect(posted[0].payload).toEqual({ text: 'hi', bot: { i: 'H1' } });
    expect(posted[0].defaults).toEqual({ channel: ['#general'], alias: 'Hooky', avatar: '', emoji: '' });
    expect(recorded[0]).toMatchObject({ integrationId: 'H1', status: 200, messageIds: ['M1'] });
  });

  it('answers a disabled hook 503 and one whose user is gone 400, posting nothing', async () => {
    const { call, posted } = setUp();
    expect(await answer(call(hook({ enabled: false }), { text: 'hi' }))).toEqual([503, { success: false, error: 'Service Unavailable' }]);
    expect((await answer(call(hook({ userId: 'gone' }), { text: 'hi' })))[0]).toBe(400);
    expect(posted).toEqual([]);
  });

  it('refuses another channel unless the hook allows overriding it', async () => {
    const { call } = setUp();
    expect(await answer(call(hook(), { text: 'hi', channel: '#other' }))).toEqual([400, { success: false, error: 'overriding destination channel is disabled for this integration' }]);
    expect((await answer(call(hook({ overrideDestinationChannelEnabled: true }), { text: 'hi', channel: '#other' })))[0]).toBe(200);
  });

  it('answers a refused post with the Meteor code, as Rocket.Chat passes e.error on', async () => {
    const { call } = setUp({ postFails: ApiError.meteor('error-not-allowed', 'Not allowed') });
    expect(await answer(call(hook(), { text: 'hi' }))).toEqual([400, { success: false, error: 'error-not-allowed' }]);
  });

  it('posts what the script returns, and answers its own error when it returns one', async () => {
    const posting = setUp({ script: { content: { text: 'from the script' } } });
    await posting.call(hook({ scriptEnabled: true }), { anything: 1 });
    expect(posting.posted[0].payload).toMatchObject({ text: 'from the script', bot: { i: 'H1' } });
    const refusing = setUp({ script: { error: { success: false, message: 'no' } } });
    const [status] = await answer(refusing.call(hook({ scriptEnabled: true }), { anything: 1 }));
    expect(status).toBe(400);
    expect(refusing.posted).toEqual([]);
  });
});
