import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { BENCH_METRICS_TOKEN, Hookline } from '../lib/hookline';
import { load } from '../lib/load';
import { machineBusySeconds, microsecondsEach, settle } from '../lib/machine-cpu';
import { pacedPosts } from '../lib/paced';
import { cpuSecondsSince, startNode } from '../lib/processes';
import { SinkProcess } from '../lib/sink';
import { CHAT_BODY } from './payloads';

/**
 * The concurrency Hookline's worker gives one target url by default (DELIVERY_PER_URL_CONCURRENCY;
 * the benchmark has a single target, so this is all of its deliveries in flight).
 */
export const DELIVERY_CONCURRENCY = 16;
const POST_CONNECTIONS = 32;

export interface DeliveryFigures {
  messages: number;
  /** All messages delivered before the time limit. */
  complete: boolean;
  delivered: number;
  duplicates: number;
  postRps: number;
  postErrors: number;
  /** Distinct deliveries per second, from the first post to the last arrival. */
  deliveriesPerSecond: number;
  seconds: number;
  /** Microseconds of the whole machine's CPU (every process) per delivery. */
  cpuUsEach: number;
  /** Of that, the posting server's own process and PostgreSQL's (every backend), when their pids are known. */
  serverCpuUsEach?: number;
  databaseCpuUsEach?: number;
}

/** The processes whose CPU case 3 splits out: the server that takes the posts, and PostgreSQL's postmaster. */
export interface CpuSplit {
  server?: number;
  database?: number;
}

export interface LatencyFigures {
  rate: number;
  messages: number;
  delivered: number;
  p50: number | null;
  p99: number | null;
  mean: number | null;
  /** How late, at most, a post left after its planned time (ms). */
  maxLagMs: number;
}

/**
 * Case 3, latency under bursts: autocannon at `overallRate`, which sends each second's `rate`
 * posts back to back at the start of the second (what the bench measured before it paced its posts).
 */
export async function outgoingBurstLatency(server: Hookline, sink: SinkProcess, path: string, rate: number, seconds: number): Promise<LatencyFigures> {
  await sink.reset();
  const posted = await load({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, connections: 16, amount: rate * seconds, overallRate: rate });
  const f = await sink.waitFor(path, posted.ok200, 60_000);
  return { rate, messages: posted.ok200, delivered: f.unique, p50: f.latencyP50, p99: f.latencyP99, mean: f.latencyMean, maxLagMs: 0 };
}

export async function createOutgoing(server: Hookline, url: string, channel = '#general'): Promise<void> {
  await server.api('POST', 'integrations.create', {
    type: 'webhook-outgoing',
    name: `bench outgoing ${channel}`,
    enabled: true,
    event: 'sendMessage',
    username: 'rocket.cat',
    channel,
    urls: [url],
    scriptEnabled: false,
  });
}

/** What takes chat.postMessage: a Hookline server, or the simple relay. */
type Poster = Pick<Hookline, 'url' | 'auth'>;

const postUrl = (server: Poster) => `${server.url}/api/v1/chat.postMessage`;

/** Case 3: post `messages` through chat.postMessage and time until the sink holds them all. */
export async function outgoingThroughput(server: Poster, sink: SinkProcess, path: string, messages: number, limitMs: number, pids: CpuSplit = {}): Promise<DeliveryFigures> {
  await settle();
  await sink.reset();
  const started = Date.now();
  const split = cpuOf(pids);
  const cpuBefore = machineBusySeconds();
  const posted = await load({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, connections: POST_CONNECTIONS, amount: messages });
  const expected = posted.ok200;
  const f = await sink.waitFor(path, expected, limitMs);
  const cpuSeconds = machineBusySeconds() - cpuBefore;
  const [serverSeconds, databaseSeconds] = split();
  const seconds = ((f.complete ? f.lastAt : Date.now()) - started) / 1000;
  return {
    messages: expected,
    complete: f.complete,
    delivered: f.unique,
    duplicates: f.duplicates,
    postRps: posted.rps,
    postErrors: posted.errors,
    deliveriesPerSecond: Math.round(f.unique / seconds),
    seconds: Math.round(seconds * 10) / 10,
    cpuUsEach: microsecondsEach(cpuSeconds, f.unique),
    ...(serverSeconds === undefined ? {} : { serverCpuUsEach: microsecondsEach(serverSeconds, f.unique) }),
    ...(databaseSeconds === undefined ? {} : { databaseCpuUsEach: microsecondsEach(databaseSeconds, f.unique) }),
  };
}

/** Starts counting the CPU of the given processes (each with its children); the returned function gives the seconds used since. */
function cpuOf(pids: CpuSplit): () => [number | undefined, number | undefined] {
  const server = pids.server === undefined ? undefined : cpuSecondsSince(pids.server);
  const database = pids.database === undefined ? undefined : cpuSecondsSince(pids.database);
  return () => [server?.(), database?.()];
}

/** Case 3, latency: posts at a steady `rate` (one every 1/rate s); commit-to-arrival from the message's timestamp. */
export async function outgoingLatency(server: Hookline, sink: SinkProcess, path: string, rate: number, seconds: number): Promise<LatencyFigures> {
  await sink.reset();
  const posted = await pacedPosts({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, rate, count: rate * seconds });
  const f = await sink.waitFor(path, posted.ok200, 60_000);
  return { rate, messages: posted.ok200, delivered: f.unique, p50: f.latencyP50, p99: f.latencyP99, mean: f.latencyMean, maxLagMs: posted.maxLagMs };
}

/** The baseline: a plain undici loop posting as many bodies to the sink at the same concurrency. */
export async function undiciBaseline(sink: SinkProcess, path: string, messages: number): Promise<DeliveryFigures> {
  await settle();
  await sink.reset();
  const dispatcher = new Agent({ connections: DELIVERY_CONCURRENCY });
  const url = sink.url(path);
  let next = 0;
  const started = Date.now();
  const cpuBefore = machineBusySeconds();
  const worker = async () => {
    while (next < messages) {
      next += 1;
      const body = JSON.stringify({ token: 'x'.repeat(24), bot: false, channel_id: 'GENERAL', channel_name: 'general', message_id: randomUUID(), timestamp: new Date().toISOString(), user_id: 'u', user_name: 'bench-admin', text: JSON.parse(CHAT_BODY).text, siteUrl: 'http://localhost:3000' });
      const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher });
      await response.body.text();
    }
  };
  await Promise.all(Array.from({ length: DELIVERY_CONCURRENCY }, worker));
  const f = await sink.waitFor(path, messages, 10_000);
  const cpuSeconds = machineBusySeconds() - cpuBefore;
  const seconds = (f.lastAt - started) / 1000;
  await dispatcher.close();
  return {
    messages,
    complete: f.complete,
    delivered: f.unique,
    duplicates: f.duplicates,
    postRps: 0,
    postErrors: 0,
    deliveriesPerSecond: Math.round(f.unique / seconds),
    seconds: Math.round(seconds * 10) / 10,
    cpuUsEach: microsecondsEach(cpuSeconds, f.unique),
  };
}

/**
 * Case 3's yardstick (`baselines/simple-relay.ts`): the same posts through the simplest durable
 * relay, on a database of its own on the same PostgreSQL, delivering to `path`; with the
 * statements it sent per message.
 */
export async function relayThroughput(databaseUrl: string, sink: SinkProcess, path: string, messages: number, limitMs: number, databasePid?: number): Promise<DeliveryFigures & { statementsPerMessage: number }> {
  const relay = await startNode('bench/baselines/simple-relay.ts', { DATABASE_URL: databaseUrl, TARGET_URL: sink.url(path) });
  try {
    const stats = async () => (await (await fetch(`${relay.url}/_stats`)).json()) as { statements: number };
    const before = (await stats()).statements;
    const run = await outgoingThroughput({ url: relay.url, auth: {} }, sink, path, messages, limitMs, { server: relay.child.pid, database: databasePid });
    const statements = (await stats()).statements - before;
    return { ...run, statementsPerMessage: Math.round((statements / Math.max(1, run.delivered)) * 100) / 100 };
  } finally {
    await relay.stop();
  }
}

/** SQL statements the server has sent so far (its `hookline_db_statements_total`; every bench server has a METRICS_TOKEN). */
export async function statementCount(server: Hookline): Promise<number> {
  // Read alone: a full scrape would run the queue gauges' statements and count them.
  const text = await (await fetch(`${server.url}/metrics?name=hookline_db_statements_total`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text();
  const match = /^hookline_db_statements_total (\d+(?:\.\d+)?)$/m.exec(text);
  if (!match) throw new Error('the server did not report hookline_db_statements_total');
  return Number(match[1]);
}

/** Deliveries waiting or running, as the server reports them. */
export async function queueDepth(server: Hookline): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics?name=hookline_delivery_queue_depth`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text();
  const match = /^hookline_delivery_queue_depth (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

export interface DrainFigures {
  deliveries: number;
  delivered: number;
  duplicates: number;
  complete: boolean;
  /** Distinct deliveries per second, from the first arrival to the last. */
  deliveriesPerSecond: number;
  statementsPerDelivery: number;
  /** Microseconds of the whole machine's CPU per delivery, from the delivering server's start to the last arrival. */
  cpuUsEach: number;
}

/**
 * Case 3, the delivery engine alone: `queue` (a server with DELIVERY_CONCURRENCY=0, which queues
 * but does not deliver) takes `messages` posts until all their deliveries wait in the queue; then
 * `startWorker()` starts a server that delivers, and the drain is timed from the first arrival to
 * the last, with the statements that server sent.
 */
export async function outgoingDrain(queue: Hookline, startWorker: () => Promise<Hookline>, sink: SinkProcess, path: string, messages: number, limitMs: number): Promise<DrainFigures & { worker: Hookline }> {
  await sink.reset();
  const posted = await load({ url: postUrl(queue), headers: queue.auth, body: CHAT_BODY, connections: POST_CONNECTIONS, amount: messages });
  const deadline = Date.now() + limitMs;
  while ((await queueDepth(queue)) < posted.ok200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await settle();
  const worker = await startWorker();
  const before = await statementCount(worker);
  const cpuBefore = machineBusySeconds();
  const f = await sink.waitFor(path, posted.ok200, limitMs);
  const cpuSeconds = machineBusySeconds() - cpuBefore;
  const statements = (await statementCount(worker)) - before;
  const seconds = Math.max(0.001, (f.lastAt - f.firstAt) / 1000);
  return {
    worker,
    deliveries: posted.ok200,
    delivered: f.unique,
    duplicates: f.duplicates,
    complete: f.complete,
    deliveriesPerSecond: Math.round(f.unique / seconds),
    statementsPerDelivery: Math.round((statements / Math.max(1, f.unique)) * 100) / 100,
    cpuUsEach: microsecondsEach(cpuSeconds, f.unique),
  };
}

export interface SlowTargetFigures {
  messages: number;
  fastDelivered: number;
  fastP50: number | null;
  fastP99: number | null;
  slowDelivered: number;
}

/**
 * The slow-targets case: `slow` outgoing integrations whose target answers after a second, and one
 * whose target answers at once, all on #general; `rate` messages a second for `seconds`. The fast
 * target's commit→arrival latency shows whether slow ones hold it up.
 */
export async function slowTargets(server: Hookline, sink: SinkProcess, slow: number, rate: number, seconds: number): Promise<SlowTargetFigures> {
  for (let i = 0; i < slow; i += 1) await createOutgoing(server, sink.url(`/slow/${i}`));
  await createOutgoing(server, sink.url('/ok/fast'));
  await sink.reset();
  const posted = await load({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, connections: 8, amount: rate * seconds, overallRate: rate });
  const fast = await sink.waitFor('/ok/fast', posted.ok200, 60_000);
  const stats = await sink.stats();
  const slowDelivered = Object.entries(stats)
    .filter(([p]) => p.startsWith('/slow/'))
    .reduce((n, [, s]) => n + s.unique, 0);
  return { messages: posted.ok200, fastDelivered: fast.unique, fastP50: fast.latencyP50, fastP99: fast.latencyP99, slowDelivered };
}
