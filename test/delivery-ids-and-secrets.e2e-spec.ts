import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { Client } from './support/api';
import { DeliveringApp, outgoingInNewRoom, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { rerunMigrationsFrom } from './support/migrations';
import { outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, TestApp } from './support/test-app';
import { openDeliveries } from './support/outbox';

/**
 * Receivers drop duplicates by `webhook-id`, so ids must never repeat across deliveries or
 * installations; and a signing secret is shown once, when it is made, and kept nowhere else.
 */
describe(`webhook ids and signing secrets (${databaseKind})`, () => {
  let app: DeliveringApp;
  let t: TestApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => {
    ({ t, admin, sink } = app = await startDeliveringApp());
    sink.reply = () => ({ status: 200, body: 'ok' });
  });
  afterAll(() => stopDeliveringApp(app));

  const setUp = () => outgoingInNewRoom(app, 'ids');

  it('gives every delivery a random, time-ordered id of its own, and a replay a new one', async () => {
    const { room, integration, path } = await setUp();
    for (const text of ['one', 'two', 'three']) await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text }).expect(200);
    const arrivals = await eventually(async () => sink.at(path), (a) => a.length === 3);
    const ids = arrivals.map((a) => String(a.headers['webhook-id']));
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(new Set(ids).size).toBe(3);
    const verifier = new Webhook(integration.signingSecret);
    for (const arrival of arrivals) expect(() => verifier.verify(arrival.body, arrival.headers as Record<string, string>)).not.toThrow();

    // A finished attempt's history row is written by the next result batch, after the receiver has answered.
    const history = await eventually(
      async () => (await admin.get('/api/v1/integrations.history', { id: integration._id, count: 10 }).expect(200)).body.history as { _id: string }[],
      (rows) => rows.length === 3,
    );
    await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: integration._id, historyId: history[0]._id }).expect(200);
    const replayed = await eventually(async () => sink.at(path), (a) => a.length === 4);
    expect(ids).not.toContain(String(replayed[3].headers['webhook-id']));
  });

  it('shows the signing secret when the integration is created, never in get, list, update or history', async () => {
    const { room, integration, path } = await setUp();
    expect(integration.signingSecret).toMatch(/^whsec_/);
    const got = (await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200)).body.integration;
    expect(got).not.toHaveProperty('signingSecret');
    const listed = (await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200)).body.integrations as Record<string, unknown>[];
    expect(listed.filter((i) => 'signingSecret' in i)).toEqual([]);
    const updated = await admin
      .put('/api/v1/integrations.update', { ...outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}${path}`], token: 'tk', name: 'renamed' }), integrationId: integration._id })
      .expect(200);
    expect(updated.body.integration).not.toHaveProperty('signingSecret');
    const rooms = (await admin.get('/api/v1/channels.getIntegrations', { roomId: room._id }).expect(200)).body.integrations as Record<string, unknown>[];
    expect(rooms.filter((i) => 'signingSecret' in i)).toEqual([]);

    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'recorded' }).expect(200);
    await eventually(async () => sink.at(path), (a) => a.length === 1);
    await eventually(async () => openDeliveries(t, integration._id), (open) => open === 0);
    const history = (await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200)).body.history as Record<string, any>[];
    expect(history).toHaveLength(1);
    expect(history[0].integration).toMatchObject({ _id: integration._id });
    expect(history[0].integration).not.toHaveProperty('signingSecret');
    const [stored] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM integration_history WHERE integration ? 'signingSecret'`);
    expect(stored.n).toBe(0);
    // The secret still signs: the receiver's copy from the create answer verifies the delivery.
    const [arrival] = sink.at(path);
    expect(() => new Webhook(integration.signingSecret).verify(arrival.body, arrival.headers as Record<string, string>)).not.toThrow();
  });

  it('removes the copies that earlier versions kept in history (migration)', async () => {
    const { integration } = await setUp();
    const dataSource = t.app.get(DataSource);
    await dataSource.query(
      `INSERT INTO integration_history (id, type, step, integration_id, integration_created_by_id, integration, event)
       VALUES ('old-record', 'outgoing-webhook', 'finished', $1, $2, $3::jsonb, 'sendMessage')`,
      [integration._id, admin.userId, JSON.stringify({ _id: integration._id, signingSecret: integration.signingSecret })],
    );
    await rerunMigrationsFrom(dataSource, 'HistoryWithoutSecrets1763885700000');
    const [row] = await dataSource.query(`SELECT integration FROM integration_history WHERE id = 'old-record'`);
    expect(row.integration).toEqual({ _id: integration._id });
  });
});
