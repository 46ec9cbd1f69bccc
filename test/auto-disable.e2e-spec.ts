import { DataSource } from 'typeorm';
import { Client, loginAsAdmin } from './support/api';
import { eventually } from './support/eventually';
import { createIntegration, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** A target that keeps failing disables its integration, tells the owner once, and keeps the deliveries. */
describe(`auto-disable (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let answering = 503;
  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = (r) => (r.url === '/gone' ? { status: 410, body: 'gone' } : { status: answering, body: answering === 200 ? 'ok' : 'down' });
    // Retry delays a ten-thousandth of Rocket.Chat's; disabled after 3 failed attempts over ~1 s.
    t = await startTestApp({
      delivery: { timeoutMs: 2000, retryDelayScale: 0.0001, concurrency: 8, perUrlConcurrency: 4 },
      autoDisable: { hours: 1 / 3600, failures: 3 },
    });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const db = () => t.app.get(DataSource);
  const noticesTo = async (name: string) => {
    const rid = (await admin.post('/api/v1/im.create', { username: 'rocket.cat' }).expect(200)).body.room._id;
    const rows = await db().query(`SELECT msg FROM messages WHERE room_id = $1 AND user_id = 'rocket.cat' AND msg LIKE $2`, [rid, `%*${name}*%`]);
    return rows.map((r: { msg: string }) => r.msg);
  };

  it('disables an integration whose deliveries all fail, sends one notice, keeps the delivery and sends it once enabled again', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'failing-target' }).expect(200)).body.channel;
    const body = outgoingBody({ name: 'flaky receiver', channel: `#${room._id}`, urls: [`${sink.url}/flaky`], retryFailedCalls: true, retryCount: 12, retryDelay: 'powers-of-ten', token: 'tk' });
    const integration = await createIntegration(admin, body);
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'will wait' }).expect(200);
    const off = await eventually(
      async () => (await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200)).body.integration,
      (i) => i.enabled === false,
      20_000,
    );
    expect(off._updatedBy).toMatchObject({ _id: 'rocket.cat' });
    expect(off.stats).toMatchObject({ lastFailure: 'answered 503', pending: 1 });
    const notices = await eventually(() => noticesTo('flaky receiver'), (n) => n.length > 0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`every delivery to ${new URL(sink.url).host} has failed`);
    expect(notices[0]).toContain('answered 503');
    // Held, not dropped: it waits for the integration to be enabled again.
    const [held] = await db().query(`SELECT run_at = 'infinity' AS paused FROM integration_deliveries WHERE integration_id = $1`, [integration._id]);
    expect(held).toEqual({ paused: true });
    const attemptsBefore = sink.at('/flaky').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.at('/flaky').length).toBe(attemptsBefore);
    expect(await noticesTo('flaky receiver')).toHaveLength(1);

    answering = 200;
    await admin.put('/api/v1/integrations.update', { ...body, integrationId: integration._id, enabled: true }).expect(200);
    const arrivals = await eventually(async () => sink.at('/flaky'), (a) => a.length > attemptsBefore);
    expect(arrivals.at(-1)?.json).toMatchObject({ text: 'will wait' });
    const back = await eventually(
      async () => (await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200)).body.integration.stats,
      (s) => s.pending === 0 && s.lastSuccessAt !== null,
    );
    expect(back).toMatchObject({ pending: 0 });
    const [run] = await db().query(`SELECT failing_since, failures_since FROM integration_health WHERE integration_id = $1`, [integration._id]);
    expect(run).toEqual({ failing_since: null, failures_since: 0 });
  });

  it('disables at once on 410 Gone, with the same notice', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'gone-target' }).expect(200)).body.channel;
    const integration = await createIntegration(admin, outgoingBody({ name: 'gone receiver', channel: `#${room._id}`, urls: [`${sink.url}/gone`] }));
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'hello?' }).expect(200);
    await eventually(async () => (await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200)).body.integration.enabled, (e) => e === false);
    const notices = await eventually(() => noticesTo('gone receiver'), (n) => n.length > 0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('answered 410 Gone');
  });
});
