import { Client } from './support/api';
import { DeliveringApp, outgoingInNewRoom, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { outgoingBody } from './support/integrations';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { Received, Sink } from './support/sink';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(120000);

/** The most arrivals in any one second (a window starting at each arrival). */
function mostInOneSecond(arrivals: Received[]): number {
  const times = arrivals.map((r) => r.at).sort((a, b) => a - b);
  return Math.max(0, ...times.map((start, i) => times.slice(i).filter((t) => t < start + 1000).length));
}

/** A sink that answers after `delayMs` and counts how many requests it holds at once. */
function slowCountingSink(sink: Sink, delayMs: number): { most: () => number } {
  let open = 0;
  let most = 0;
  sink.reply = () => {
    open += 1;
    most = Math.max(most, open);
    setTimeout(() => (open -= 1), delayMs);
    return { status: 200, body: 'ok', delayMs };
  };
  return { most: () => most };
}

describe('deliveryRateLimit, an outgoing integration\'s own throttle', () => {
  let app: DeliveringApp;
  let admin: Client;

  beforeAll(async () => {
    app = await startDeliveringApp();
    admin = app.admin;
  });
  afterAll(() => stopDeliveringApp(app));

  it('is set, kept by an update that does not name it (a Rocket.Chat client), and removed with null', async () => {
    const created = await admin.post('/api/v1/integrations.create', outgoingBody({ name: 'throttled', token: 'tk', deliveryRateLimit: 5 })).expect(200);
    expect(created.body.integration.deliveryRateLimit).toBe(5);
    const id = created.body.integration._id;
    const update = (extra: Record<string, unknown>) => admin.put('/api/v1/integrations.update', { ...outgoingBody({ name: 'throttled', token: 'tk' }), integrationId: id, ...extra });
    await update({}).expect(200);
    expect((await admin.get(`/api/v1/integrations.get?integrationId=${id}`).expect(200)).body.integration.deliveryRateLimit).toBe(5);
    await update({ deliveryRateLimit: 0.5 }).expect(200);
    expect((await admin.get(`/api/v1/integrations.get?integrationId=${id}`).expect(200)).body.integration.deliveryRateLimit).toBe(0.5);
    await update({ deliveryRateLimit: null }).expect(200);
    expect((await admin.get(`/api/v1/integrations.get?integrationId=${id}`).expect(200)).body.integration).not.toHaveProperty('deliveryRateLimit');
  });

  it.each([[0], [-1], [1e9]])('refuses %p as a rate with a 400 naming the field', async (rate) => {
    const res = await admin.post('/api/v1/integrations.create', outgoingBody({ deliveryRateLimit: rate })).expect(400);
    expect(res.body).toEqual({
      success: false,
      error: 'deliveryRateLimit must be more than 0 and at most 100000 deliveries a second [error-invalid-deliveryRateLimit]',
      errorType: 'error-invalid-deliveryRateLimit',
    });
  });

  it('refuses a rate that is not a number as the schema refuses any field of the wrong type', async () => {
    const res = await admin.post('/api/v1/integrations.create', outgoingBody({ deliveryRateLimit: '5' })).expect(400);
    expect(res.body).toMatchObject({ success: false, errorType: 'invalid-params' });
    expect(res.body.error).toContain('must be number');
  });

  it('spaces deliveries at the rate, queued rather than dropped, while an unthrottled integration is not held back', async () => {
    const throttled = await outgoingInNewRoom(app, 'throttled', { deliveryRateLimit: 5 });
    const free = await outgoingInNewRoom(app, 'unthrottled');
    const posted = Date.now();
    for (let i = 0; i < 15; i++) {
      await admin.post('/api/v1/chat.postMessage', { roomId: throttled.room._id, text: `t-${i}` }).expect(200);
      await admin.post('/api/v1/chat.postMessage', { roomId: free.room._id, text: `f-${i}` }).expect(200);
    }
    await eventually(async () => app.sink.at(free.path).length, (n) => n === 15);
    const freeDoneIn = Math.max(...app.sink.at(free.path).map((r) => r.at)) - posted;
    const arrivals = await eventually(async () => app.sink.at(throttled.path), (r) => r.length >= 15, 15000);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.sink.at(throttled.path).map((r) => r.json.text).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `t-${i}`).sort());
    // Send times one fifth of a second apart: 15 take 2.8 s; any one second holds at most 5 (6 with timer jitter at its edges).
    expect(mostInOneSecond(arrivals)).toBeLessThanOrEqual(6);
    const times = arrivals.map((r) => r.at);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2500);
    expect(freeDoneIn).toBeLessThan(Math.max(...times) - posted);
  });
});

/** Several processes share one database only on PostgreSQL; the embedded database is single-process by design. */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

onPostgres('delivery limits across three delivering processes on one PostgreSQL', () => {
  let sink: Sink;
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    sink = await Sink.start();
    let url: string;
    ({ drop, url } = await createScratchDatabase(process.env.DATABASE_URL as string));
    servers = await Promise.all([1, 2, 3].map(() => startServerProcess({ DATABASE_URL: url, DELIVERY_CONCURRENCY: '8', DELIVERY_PER_URL_CONCURRENCY: '2' })));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await sink.close();
    await drop();
  });

  /** `count` posts in #general spread round-robin over the processes, `prefix-0`, `prefix-1`, … */
  const postRoundRobin = async (prefix: string, count: number) => {
    const admin = await adminOf(servers[0].url);
    const headers = { 'content-type': 'application/json', 'x-user-id': admin.userId, 'x-auth-token': admin.authToken };
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const res = await fetch(`${servers[i % 3].url}/api/v1/chat.postMessage`, { method: 'POST', headers, body: JSON.stringify({ roomId: 'GENERAL', text: `${prefix}-${i}` }) });
        expect(res.status).toBe(200);
      }),
    );
  };

  it('never has more than the per-url cap of requests open at a target, from all processes together', async () => {
    const counting = slowCountingSink(sink, 150);
    const admin = await adminOf(servers[1].url);
    const made = await admin.post('/api/v1/integrations.create', outgoingBody({ name: 'capped', urls: [`${sink.url}/capped`], triggerWords: ['capped-'] }));
    expect(made.success).toBe(true);
    await postRoundRobin('capped', 45);
    const arrived = await eventually(async () => sink.at('/capped'), (r) => r.length >= 45, 30000);
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(sink.at('/capped').map((r) => r.json.text)).size).toBe(45);
    expect(sink.at('/capped')).toHaveLength(45);
    // Each process alone keeps to 2; three of them, each on its own, would reach 6.
    expect(counting.most()).toBeLessThanOrEqual(2);
    expect(arrived.length).toBe(45);
  });

  it('keeps a throttled integration to its rate for the cluster, losing nothing', async () => {
    sink.reply = () => ({ status: 200, body: 'ok' });
    const admin = await adminOf(servers[2].url);
    const made = await admin.post('/api/v1/integrations.create', outgoingBody({ name: 'throttled', urls: [`${sink.url}/throttled-a`, `${sink.url}/throttled-b`], triggerWords: ['throttled-'], deliveryRateLimit: 4 }));
    expect(made.success).toBe(true);
    // Two urls, so two processes may own them: the rate still holds for the integration as a whole.
    await postRoundRobin('throttled', 12);
    const arrivals = await eventually(async () => [...sink.at('/throttled-a'), ...sink.at('/throttled-b')], (r) => r.length >= 24, 30000);
    await new Promise((r) => setTimeout(r, 500));
    expect([...sink.at('/throttled-a'), ...sink.at('/throttled-b')]).toHaveLength(24);
    // 24 at 4 a second: about 6 s, and at most 4 in a second (5 with timer jitter at its edges), not three times that.
    expect(mostInOneSecond(arrivals)).toBeLessThanOrEqual(5);
    const times = arrivals.map((r) => r.at);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(5000);
  });
});
