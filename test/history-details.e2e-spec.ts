import { Client, createUser } from './support/api';
import { DeliveringApp, outgoingInNewRoom, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody } from './support/integrations';
import { IncomingCallLog } from '../src/integrations/incoming/incoming-call-log';
import { Sink } from './support/sink';
import { databaseKind, TestApp } from './support/test-app';

/**
 * What users come to the history for: the headers a delivery was sent with and a call came with
 * (credentials masked), and after an outage, every failed delivery since a chosen time sent again.
 */
describe(`history details and recovery (${databaseKind})`, () => {
  let app: DeliveringApp;
  let t: TestApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => ({ t, admin, sink } = app = await startDeliveringApp()));
  afterAll(() => stopDeliveringApp(app));

  const outgoingIn = (extra: Record<string, unknown> = {}) => outgoingInNewRoom(app, 'details', extra);
  const historyOf = async (id: string) => (await admin.get('/api/v1/integrations.history', { id, count: 100 }).expect(200)).body.history as Record<string, any>[];

  it('records the headers a delivery was sent with: the signature headers whole, a credential the script set masked', async () => {
    const script = `class Script {
      prepare_outgoing_request({ request }) {
        return { ...request, headers: { ...request.headers, Authorization: 'Bearer sk_live_kept_out', 'X-Trace': 'visible', 'X-Custom': process.env.SECRET_API_KEY } };
      }
    }`;
    const { room, integration, path } = await outgoingIn({ scriptEnabled: true, script, secrets: { API_KEY: 'secret-in-a-plain-header' } });
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'with headers' }).expect(200);
    const [arrival] = await eventually(async () => sink.at(path), (a) => a.length === 1);
    expect(arrival.headers.authorization).toBe('Bearer sk_live_kept_out');
    expect(arrival.headers['x-custom']).toBe('secret-in-a-plain-header');
    const [record] = await eventually(
      () => historyOf(integration._id),
      (h) => h.length === 1 && h[0].step === 'after-http-call',
    );
    expect(record.requestHeaders).toMatchObject({
      authorization: 'Bearer ***',
      'x-trace': 'visible',
      // A script secret is masked whatever header it went in.
      'x-custom': '***',
      'webhook-id': arrival.headers['webhook-id'],
      'webhook-timestamp': arrival.headers['webhook-timestamp'],
      'webhook-signature': arrival.headers['webhook-signature'],
    });
    // (The script's own text, in the integration snapshot, is the script's business: secrets belong in process.env.)
    expect(JSON.stringify(record.requestHeaders)).not.toMatch(/sk_live_kept_out|secret-in-a-plain-header/);
  });

  it('records the headers an incoming call came with, credentials masked', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http
      .post(`/hooks/${hook._id}/${hook.token}`)
      .set('Authorization', 'Bearer from-the-sender')
      .set('X-Api-Key', 'k-123456')
      .set('X-GitHub-Event', 'push')
      .send({ text: 'with headers' })
      .expect(200);
    await t.app.get(IncomingCallLog).flush();
    const [call] = (await admin.get('/api/v1/integrations.incomingHistory', { id: hook._id }).expect(200)).body.history as Record<string, any>[];
    expect(call.headers).toMatchObject({ authorization: 'Bearer ***', 'x-api-key': '***', 'x-github-event': 'push', 'content-type': 'application/json' });
    expect(JSON.stringify(call)).not.toMatch(/from-the-sender|k-123456/);
  });

  it('sends every delivery that failed for good since a chosen time again, each with a new webhook-id', async () => {
    const { room, integration, path } = await outgoingIn({ retryFailedCalls: false });
    sink.reply = (request) => (request.url === path ? { status: 503, body: 'down' } : { status: 200, body: 'ok' });
    const since = new Date(Date.now() - 1000).toISOString();
    for (const text of ['lost one', 'lost two', 'lost three']) await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text }).expect(200);
    const failedArrivals = await eventually(async () => sink.at(path), (a) => a.length === 3);
    await eventually(
      () => historyOf(integration._id),
      (h) => h.length === 3 && h.every((r) => r.step === 'failed-and-not-configured-to-retry'),
    );
    sink.reply = () => ({ status: 200, body: 'ok' });

    expect((await admin.post('/api/v1/integrations.recover', { integrationId: integration._id, since: new Date(Date.now() + 60_000).toISOString() }).expect(200)).body).toEqual({ count: 0, success: true });
    expect((await admin.post('/api/v1/integrations.recover', { integrationId: integration._id, since }).expect(200)).body).toEqual({ count: 3, success: true });
    const arrivals = await eventually(async () => sink.at(path), (a) => a.length === 6);
    const texts = arrivals.slice(3).map((a) => a.json.text).sort();
    expect(texts).toEqual(['lost one', 'lost three', 'lost two']);
    const ids = new Set(arrivals.map((a) => String(a.headers['webhook-id'])));
    expect(ids.size).toBe(6);
    expect(failedArrivals).toHaveLength(3);
    // The recovered deliveries succeeded: recovering again sends only what failed since, which is still the first three.
    await eventually(() => historyOf(integration._id), (h) => h.length === 6);
  });

  it('refuses a recover without a usable time, of an incoming integration, or by someone without the outgoing permissions (as a replay)', async () => {
    const { integration } = await outgoingIn();
    expect((await admin.post('/api/v1/integrations.recover', { integrationId: integration._id, since: 'yesterday-ish' }).expect(400)).body.error).toContain('`since` must be a date');
    await admin.post('/api/v1/integrations.recover', { integrationId: integration._id }).expect(400);
    const hook = await createIntegration(admin, incomingBody());
    const refused = await admin.post('/api/v1/integrations.recover', { integrationId: hook._id, since: new Date().toISOString() }).expect(400);
    expect(refused.body.errorType).toBe('integration-type-must-be-outgoing');
    const user = await createUser(t, admin, { roles: ['user'] });
    const stranger = await user.post('/api/v1/integrations.recover', { integrationId: integration._id, since: new Date().toISOString() });
    // As a replay is refused to them (integrations.replayOutgoing's rule).
    expect(stranger.status).toBe(400);
    expect(stranger.body.errorType).toBe('not_authorized');
  });
});
