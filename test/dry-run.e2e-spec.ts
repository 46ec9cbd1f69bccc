import { DataSource } from 'typeorm';
import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** integrations.dryRun: a script against a sample, and nothing written, posted, delivered or fetched outside the policy. */
describe(`dry runs (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 }, outgoing: { allowPrivate: false, deny: [] } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const counts = async () =>
    (await t.app.get(DataSource).query(`SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM integration_history)::int AS history, (SELECT count(*) FROM integration_deliveries)::int AS deliveries`))[0];
  const dryRun = (body: Record<string, unknown>) => admin.post('/api/v1/integrations.dryRun', body);

  const INCOMING_SCRIPT = `class Script { process_incoming_request({ request }) {
    console.log('got', request.content.alert, 'from', request.headers['x-sender']);
    return { content: { text: 'Alert: ' + request.content.alert, emoji: ':fire:', attachments: [{ title: 'details', msg: ' ok ' }] } };
  } }`;

  it('runs an incoming script on a sample call and shows the message it would post, posting nothing', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: INCOMING_SCRIPT, secrets: { TOKEN: 'never-shown-value' } }));
    const before = await counts();
    const res = await dryRun({ integrationId: hook._id, request: { content: { alert: 'disk full' }, headers: { 'x-sender': 'monitor' } } }).expect(200);
    expect(res.body).toEqual({
      method: 'process_incoming_request',
      result: { content: { text: 'Alert: disk full', emoji: ':fire:', attachments: [{ title: 'details', msg: ' ok ' }] } },
      message: expect.objectContaining({ msg: 'Alert: disk full', emoji: ':fire:', attachments: [{ title: 'details', text: 'ok' }], channel: ['#general'] }),
      logs: [{ level: 'log', text: 'got disk full from monitor' }],
      durationMs: expect.any(Number),
      success: true,
    });
    expect(await counts()).toEqual(before);
  });

  it('runs a given, unsaved script instead of the stored one, and leaves the stored one alone', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: INCOMING_SCRIPT }));
    const res = await dryRun({ integrationId: hook._id, script: `class Script { process_incoming_request() { return { content: { text: 'draft ' + (typeof process === 'undefined' ? undefined : process.env.SECRET_X) } }; } }` }).expect(200);
    expect(res.body.message.msg).toBe('draft undefined'); // no secrets: process.env holds nothing of the host
    const got = await admin.get('/api/v1/integrations.get', { integrationId: hook._id }).expect(200);
    expect(got.body.integration.script).toBe(INCOMING_SCRIPT);
    expect((await admin.get('/api/v1/integrations.revisions', { integrationId: hook._id }).expect(200)).body.total).toBe(1);
  });

  it.each([
    ['a syntax error', 'class Script { process_incoming_request( {', 'error-evaluating-script'],
    ['a script that throws', `class Script { process_incoming_request() { throw new Error('boom'); } }`, 'error-running-script'],
    ['a script that loops', `class Script { process_incoming_request() { while (true) {} } }`, 'script-timeout'],
    ['a script without the method', 'class Script {}', 'integration-method-not-found'],
  ])('answers %s as an error of the run', async (_, script, code) => {
    const hook = await createIntegration(admin, incomingBody());
    const res = await dryRun({ integrationId: hook._id, script }).expect(200);
    expect(res.body).toMatchObject({ method: 'process_incoming_request', result: null, error: { code, message: expect.any(String) }, success: true });
  });

  it('runs prepare_outgoing_request and process_outgoing_response on samples, sending nothing', async () => {
    const script = `class Script {
      prepare_outgoing_request({ request }) {
        console.warn('secret is', process.env.SECRET_API_KEY);
        request.headers['authorization'] = 'Bearer ' + process.env.SECRET_API_KEY;
        request.data = { said: request.data.text };
        return request;
      }
      process_outgoing_response({ response }) { return { content: { text: 'target said ' + response.status_code + ' ' + response.content } }; }
    }`;
    const outgoing = await createIntegration(admin, outgoingBody({ urls: [`${sink.url}/never`], scriptEnabled: true, script, secrets: { API_KEY: 'sk-dry-run-key' } }));
    const before = await counts();
    const res = await dryRun({ integrationId: outgoing._id, request: { data: { text: 'hello' } }, response: { status_code: 202, content: 'queued' } }).expect(200);
    expect(res.body).toMatchObject({
      method: 'prepare_outgoing_request',
      // The header carries the secret: the answer shows it masked, as it never shows a secret.
      request: { url: `${sink.url}/never`, method: 'POST', data: { said: 'hello' }, headers: { authorization: 'Bearer ***' } },
      responseResult: { content: { text: 'target said 202 queued' } },
      logs: [{ level: 'warn', text: 'secret is ***' }],
      success: true,
    });
    expect(JSON.stringify(res.body)).not.toContain('sk-dry-run-key');
    expect(sink.received).toEqual([]);
    expect(await counts()).toEqual(before);
    // Without a sample, the run uses a sample sendMessage payload.
    const sampled = await dryRun({ integrationId: outgoing._id }).expect(200);
    expect(sampled.body.request.data).toEqual({ said: expect.any(String) });
  });

  it('keeps the URL policy for a script’s fetch', async () => {
    const hook = await createIntegration(admin, incomingBody());
    const script = `class Script { async process_incoming_request() {
      let text = 'fetched';
      try { await fetch('${sink.url}/fetched'); } catch (e) { text = 'refused: ' + e.message; }
      return { content: { text } };
    } }`;
    const res = await dryRun({ integrationId: hook._id, script }).expect(200);
    expect(res.body.message.msg).toMatch(/^refused: /);
    expect(sink.received).toEqual([]);
  });

  it('refuses an integration without a script to run, an unknown one, and bad bodies', async () => {
    const hook = await createIntegration(admin, incomingBody());
    expect((await dryRun({ integrationId: hook._id }).expect(400)).body).toEqual(meteorError('error-no-script', 'The integration has no script to run; give one as `script`'));
    expect((await dryRun({ integrationId: 'no-such-integration', script: 'class Script {}' }).expect(400)).body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));
    for (const body of [{}, { integrationId: hook._id, script: 42 }, { integrationId: hook._id, response: { status_code: 42 } }, { integrationId: hook._id, extra: true }]) {
      expect((await dryRun(body).expect(400)).body).toMatchObject({ success: false, errorType: 'invalid-params' });
    }
  });
});
