import { aDelivery, anIntegration } from '../../../test/support/factories';
import { AppConfig } from '../../core/config/app-config';
import { ChangeFeed } from '../../core/database/change-feed';
import { MetricsService } from '../../metrics/metrics.service';
import { IntegrationStore } from '../integration-store';
import { Attempt, DeliveryExecutor } from './delivery-executor';
import { ClaimedDelivery, DeliveryQueue } from './delivery-queue';
import { DeliveryResults } from './delivery-results';
import { DeliveryWorker } from './delivery-worker';

/** What the worker uses of each collaborator: the fakes implement only that. */
type WorkerQueue = Pick<DeliveryQueue, 'onAnnounced' | 'release' | 'announce' | 'renew' | 'disown'>;
type WorkerResults = Pick<DeliveryResults, 'finish' | 'show'>;
type WorkerStore = Pick<IntegrationStore, 'cachedById'>;
type WorkerExecutor = Pick<DeliveryExecutor, 'attempt'>;

const PER_URL = 2;
const CONCURRENCY = 3;

/** A worker over fakes whose attempts stay open until the test ends them. */
function setUp() {
  const open: { delivery: ClaimedDelivery; finish: (attempt: Attempt) => void }[] = [];
  const executor: WorkerExecutor = {
    attempt: (delivery) => new Promise<Attempt>((finish) => open.push({ delivery, finish })),
  };
  const queue: WorkerQueue & { released: string[] } = {
    released: [],
    onAnnounced: () => undefined,
    release: (ids: string[]) => {
      queue.released.push(...ids);
      return Promise.resolve();
    },
    announce: () => undefined,
    renew: () => Promise.resolve([]),
    disown: () => Promise.resolve(),
  };
  const finished: string[] = [];
  const results: WorkerResults = {
    finish: (id: string) => {
      finished.push(id);
      return Promise.resolve();
    },
    show: () => Promise.resolve(),
  };
  const store: WorkerStore = { cachedById: (id: string) => Promise.resolve(anIntegration({ id })) };
  const config = { delivery: { concurrency: CONCURRENCY, perUrlConcurrency: PER_URL }, shutdown: { timeoutMs: 50 } } as unknown as AppConfig;
  const changes = { onChange: () => undefined, live: true } as unknown as ChangeFeed;
  const metrics = { delivery: () => undefined } as unknown as MetricsService;
  const worker = new DeliveryWorker(
    executor as DeliveryExecutor,
    config,
    store as IntegrationStore,
    queue as unknown as DeliveryQueue,
    results as DeliveryResults,
    changes,
    undefined as never,
    metrics,
  );
  const running = (url?: string) => open.filter((a) => !url || a.delivery.url === url).length;
  /** Ends the oldest open attempt as delivered and lets the worker react. */
  const deliverOne = async () => {
    const attempt = open.shift();
    attempt?.finish({ outcome: { finished: true } });
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    return attempt?.delivery;
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve)).then(() => new Promise((resolve) => setImmediate(resolve)));
  return { worker, queue, finished, running, deliverOne, settle };
}

const A = 'http://a.test/hook';
const B = 'http://b.test/hook';

describe('DeliveryWorker (fakes)', () => {
  it('runs at most the per-url cap of one url at once, and the rest as slots free up, in order', async () => {
    const { worker, running, deliverOne, settle, finished } = setUp();
    const deliveries = [1, 2, 3, 4, 5].map((n) => aDelivery({ id: `d${n}`, url: A }));
    worker.take(deliveries);
    await settle();
    expect(running(A)).toBe(PER_URL);
    expect((await deliverOne())?.id).toBe('d1');
    await settle();
    expect(running(A)).toBe(PER_URL);
    while (running()) await deliverOne();
    expect(finished).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
  });

  it('keeps the process-wide concurrency across urls', async () => {
    const { worker, running, settle } = setUp();
    worker.take([A, A, B, B].map((url, n) => aDelivery({ id: `d${n}`, url })));
    await settle();
    expect(running()).toBe(CONCURRENCY);
    expect(running(A)).toBeLessThanOrEqual(PER_URL);
  });

  it('hands back at once what is over a url’s holding cap, and would take nothing more while full', async () => {
    const { worker, queue, settle } = setUp();
    // The worker holds up to 16 × the per-url cap of one url (waiting or running).
    const held = 16 * PER_URL;
    worker.take(Array.from({ length: held + 3 }, (_, n) => aDelivery({ id: `d${n}`, url: A })));
    await settle();
    expect(queue.released).toEqual([`d${held}`, `d${held + 1}`, `d${held + 2}`]);
    expect(worker.wouldTake([{ url: A }, { url: B }])).toEqual([false, false]);
  });

  it('would take new deliveries only for urls it owns, never throttled ones, and within the caps', async () => {
    const { worker, settle } = setUp();
    expect(worker.wouldTake([{ url: A }])).toEqual([false]);
    worker.take([aDelivery({ url: A })]);
    await settle();
    // Room: the url's holding cap (16 × per url) and the process's (4 × concurrency), less the one held.
    const room = Math.min(16 * PER_URL, 4 * CONCURRENCY) - 1;
    const asked = Array.from({ length: room + 1 }, () => ({ url: A }));
    expect(worker.wouldTake(asked).filter(Boolean)).toHaveLength(room);
    expect(worker.wouldTake([{ url: A, throttled: true }])).toEqual([false]);
  });

  it('holds a throttled delivery until its send time', async () => {
    const { worker, running, settle } = setUp();
    worker.take([aDelivery({ id: 'late', url: A, waitMs: 60 }), aDelivery({ id: 'now', url: B })]);
    await settle();
    expect(running(A)).toBe(0);
    expect(running(B)).toBe(1);
  });

  it('hands back whatever it is given once it is stopping', async () => {
    const { worker, queue, running, settle } = setUp();
    await worker.onApplicationShutdown();
    worker.take([aDelivery({ id: 'late-comer', url: A })]);
    await settle();
    expect(running()).toBe(0);
    expect(queue.released).toEqual(['late-comer']);
  });
});
