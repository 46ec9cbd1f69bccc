import { IncomingCallLog } from '../src/integrations/incoming/incoming-call-log';
import { Client, loginAsAdmin } from './support/api';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** Delivery health on integrations.get and .list: it moves as calls and deliveries happen. */
describe(`integration stats (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = (r) => (r.url === '/down' ? { status: 503, body: 'maintenance' } : { status: 200, body: 'ok' });
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 }, delivery: { timeoutMs: 2000, retryDelayScale: 1000, concurrency: 8, perUrlConcurrency: 4 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const statsOf = async (id: string) => (await admin.get('/api/v1/integrations.get', { integrationId: id }).expect(200)).body.integration.stats;

  it('counts an incoming integration’s calls and failures, with the last failure', async () => {
    const hook = await createIntegration(admin, incomingBody());
    expect(await statsOf(hook._id)).toEqual({
      lastHour: { attempts: 0, failures: 0 },
      last24Hours: { attempts: 0, failures: 0 },
      lastSuccessAt: null,
      lastFailureAt: null,
      lastFailure: null,
    });
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'one' }).expect(200);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'two' }).expect(200);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x', channel: '#elsewhere' }).expect(400);
    await t.app.get(IncomingCallLog).flush();
    const stats = await statsOf(hook._id);
    expect(stats).toMatchObject({
      lastHour: { attempts: 3, failures: 1 },
      last24Hours: { attempts: 3, failures: 1 },
      lastSuccessAt: expect.any(String),
      lastFailureAt: expect.any(String),
      lastFailure: 'overriding destination channel is disabled for this integration',
    });
    expect(Date.parse(stats.lastFailureAt)).toBeGreaterThanOrEqual(Date.parse(stats.lastSuccessAt));
    const listed = (await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200)).body.integrations as Record<string, any>[];
    expect(listed.find((i) => i._id === hook._id)?.stats).toEqual(stats);
    const inRoom = (await admin.get('/api/v1/channels.getIntegrations', { roomId: 'GENERAL', count: 100 }).expect(200)).body.integrations as Record<string, any>[];
    expect(inRoom.find((i) => i._id === hook._id)?.stats).toEqual(stats);
  });

  it('keeps a failure whose text holds a NUL or a lone surrogate (stored as U+FFFD)', async () => {
    const script = `class Script { process_incoming_request() { throw new Error('bad \\u0000 byte \\ud800'); } }`;
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(400);
    await t.app.get(IncomingCallLog).flush();
    const stats = await statsOf(hook._id);
    expect(stats).toMatchObject({ lastHour: { attempts: 1, failures: 1 } });
    expect(stats.lastFailure).toContain('bad \ufffd byte \ufffd');
  });

  it('counts an outgoing integration’s deliveries, its failing target and what waits in its queue', async () => {
    const rooms = await Promise.all(['stats-up', 'stats-down'].map(async (name) => (await admin.post('/api/v1/channels.create', { name }).expect(200)).body.channel));
    const up = await createIntegration(admin, outgoingBody({ channel: `#${rooms[0]._id}`, urls: [`${sink.url}/up`] }));
    const down = await createIntegration(admin, outgoingBody({ channel: `#${rooms[1]._id}`, urls: [`${sink.url}/down`], retryFailedCalls: true, retryCount: 5, retryDelay: 'powers-of-ten' }));
    await admin.post('/api/v1/chat.postMessage', { roomId: rooms[0]._id, text: 'fine' }).expect(200);
    await admin.post('/api/v1/chat.postMessage', { roomId: rooms[1]._id, text: 'broken' }).expect(200);
    const upStats = await eventually(() => statsOf(up._id), (s) => s.lastHour.attempts === 1);
    expect(upStats).toMatchObject({ lastHour: { attempts: 1, failures: 0 }, lastSuccessAt: expect.any(String), lastFailureAt: null, pending: 0, oldestPendingSeconds: null });
    // The first attempt fails and waits to be tried again (100 s with these retry delays): it is pending.
    const downStats = await eventually(() => statsOf(down._id), (s) => s.lastHour.failures === 1);
    expect(downStats).toMatchObject({ lastHour: { attempts: 1, failures: 1 }, lastSuccessAt: null, lastFailure: 'answered 503', pending: 1, oldestPendingSeconds: expect.any(Number) });
  });
});
