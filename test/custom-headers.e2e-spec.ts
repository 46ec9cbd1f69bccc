import { Client } from './support/api';
import { DeliveringApp, outgoingInNewRoom, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind } from './support/test-app';

/**
 * An outgoing integration's own headers (Hookline's `headers`): sent on every attempt, retry and
 * replay, write-only like script secrets, a script's own headers winning over them.
 */
describe(`custom headers on outgoing integrations (${databaseKind})`, () => {
  let app: DeliveringApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => ({ admin, sink } = app = await startDeliveringApp()));
  afterAll(() => stopDeliveringApp(app));

  const VALUES = /t-secret-123456|k-abcdef-987/;
  const headers = { Authorization: 'Bearer {{secret:TOKEN}}', 'X-API-Key': 'k-abcdef-987', 'Content-Type': 'application/vnd.acme+json' };

  it('sends them on the first attempt, the retry and a replay; shows names only, and *** in the history', async () => {
    const { room, integration, path } = await outgoingInNewRoom(app, 'headers', { headers, secrets: { TOKEN: 't-secret-123456' }, retryFailedCalls: true, retryCount: 2 });
    expect(integration.headers).toEqual(['authorization', 'content-type', 'x-api-key']);
    expect(JSON.stringify(integration)).not.toMatch(VALUES);
    let calls = 0;
    sink.reply = (request) => (request.url === path && ++calls === 1 ? { status: 503, body: 'later' } : { status: 200, body: 'ok' });

    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'with my headers' }).expect(200);
    const arrivals = await eventually(async () => sink.at(path), (a) => a.length === 2);
    for (const arrival of arrivals) {
      expect(arrival.headers).toMatchObject({ authorization: 'Bearer t-secret-123456', 'x-api-key': 'k-abcdef-987', 'content-type': 'application/vnd.acme+json' });
      expect(arrival.headers['webhook-signature']).toMatch(/^v1,/);
    }

    const history = async () => (await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200)).body.history as Record<string, any>[];
    const [record] = await eventually(history, (h) => h.length >= 1 && h[0].step === 'after-http-call');
    expect(record.requestHeaders).toMatchObject({ authorization: '***', 'x-api-key': '***', 'content-type': '***' });
    await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: integration._id, historyId: record._id }).expect(200);
    const [, , replayed] = await eventually(async () => sink.at(path), (a) => a.length === 3);
    expect(replayed.headers).toMatchObject({ authorization: 'Bearer t-secret-123456', 'x-api-key': 'k-abcdef-987' });

    for (const answer of [
      await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200),
      await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200),
      await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200),
    ]) {
      expect(JSON.stringify(answer.body)).not.toMatch(VALUES);
    }
    const tried = 'class Script { prepare_outgoing_request({ request }) { return request; } }';
    const dryRun = (await admin.post('/api/v1/integrations.dryRun', { integrationId: integration._id, script: tried }).expect(200)).body;
    expect(dryRun.request.headers).toMatchObject({ authorization: '***', 'x-api-key': '***' });
    expect(JSON.stringify(dryRun)).not.toMatch(VALUES);
  });

  it('keeps them on an update without headers, removes one mapped to null, and lets a script’s own header win', async () => {
    const script = `class Script { prepare_outgoing_request({ request }) { return { ...request, headers: { ...request.headers, 'X-API-Key': 'from-the-script' } }; } }`;
    const { room, integration, path } = await outgoingInNewRoom(app, 'headers', { headers: { 'X-API-Key': 'k-abcdef-987', 'X-Team': 'blue' } });
    const update = (extra: Record<string, unknown>) =>
      admin.put('/api/v1/integrations.update', { ...outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}${path}`], token: 'tk', ...extra }), integrationId: integration._id }).expect(200);
    expect((await update({})).body.integration.headers).toEqual(['x-api-key', 'x-team']);
    expect((await update({ headers: { 'X-Team': null } })).body.integration.headers).toEqual(['x-api-key']);
    await update({ scriptEnabled: true, script });
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'script wins' }).expect(200);
    const [arrival] = await eventually(async () => sink.at(path), (a) => a.length === 1);
    expect(arrival.headers['x-api-key']).toBe('from-the-script');
    expect(arrival.headers['x-team']).toBeUndefined();
    expect((await update({ headers: { 'X-API-Key': null } })).body.integration).not.toHaveProperty('headers');
  });

  it.each([
    ['a name that is no header name', { 'Bad Name': 'x' }, '"Bad Name" is not a valid header name'],
    ['a line break in a value', { 'X-A': 'one\r\nX-Injected: two' }, 'may not hold a line break, NUL'],
    ['a NUL in a value', { 'X-A': 'a\u0000b' }, 'may not hold a line break, NUL'],
    ['a character HTTP cannot carry', { 'X-A': 'snow ☃' }, 'may not hold a line break, NUL'],
    ['Content-Length', { 'Content-Length': '10' }, 'Hookline sets the Content-Length header itself'],
    ['Host', { Host: 'elsewhere' }, 'Hookline sets the Host header itself'],
    ['Transfer-Encoding', { 'Transfer-Encoding': 'chunked' }, 'Hookline sets the Transfer-Encoding header itself'],
    ['webhook-signature', { 'webhook-signature': 'v1,forged' }, 'Hookline sets the webhook-signature header itself'],
    ['a script secret it does not have', { Authorization: 'Bearer {{secret:NOPE}}' }, 'names the script secret NOPE'],
  ])('refuses %s with a 400 naming the header', async (_, bad, message) => {
    const res = await admin.post('/api/v1/integrations.create', outgoingBody({ headers: bad })).expect(400);
    expect(res.body).toMatchObject({ success: false, errorType: 'error-invalid-header' });
    expect(res.body.error).toContain(message);
  });

  it('refuses headers on an incoming integration', async () => {
    const res = await admin.post('/api/v1/integrations.create', incomingBody({ headers: { 'X-A': 'b' } })).expect(400);
    expect(res.body.error).toContain('Only outgoing integrations send headers of their own');
    const hook = await createIntegration(admin, incomingBody());
    await admin.put('/api/v1/integrations.update', { ...incomingBody({ headers: { 'X-A': 'b' } }), integrationId: hook._id }).expect(400);
  });
});
