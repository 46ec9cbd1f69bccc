import { DataSource } from 'typeorm';
import { IncomingCallLog } from '../src/integrations/incoming/incoming-call-log';
import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const SECRET = 'sk-never-stored-12345';

/** What happened to my webhook? Every call of an incoming integration, in its history. */
describe(`incoming call history (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  /** Calls are written in batches: flush before reading. */
  const historyOf = async (id: string, query: Record<string, unknown> = {}, client: Client = admin) => {
    await t.app.get(IncomingCallLog).flush();
    return (await client.get('/api/v1/integrations.incomingHistory', { id, ...query }).expect(200)).body;
  };

  it('records a call: what came in, what the script did, the answer, the messages posted and the time taken', async () => {
    const hook = await createIntegration(admin, incomingBody());
    const posted = await t.http.post(`/hooks/${hook._id}/${hook.token}`).set('content-type', 'application/json').send({ text: 'deploy done' }).expect(200);
    expect(posted.body).toEqual({ success: true });
    const newest = (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0];
    const page = await historyOf(hook._id);
    expect(page).toMatchObject({ total: 1, count: 1, offset: 0, success: true });
    expect(page.history[0]).toEqual({
      _id: expect.any(String),
      type: 'incoming-webhook',
      integration: { _id: hook._id },
      outcome: 'ok',
      method: 'POST',
      contentType: 'application/json',
      headers: expect.objectContaining({ 'content-type': 'application/json', 'content-length': '22' }),
      bodySize: Buffer.byteLength('{"text":"deploy done"}'),
      body: '{"text":"deploy done"}',
      bodyTruncated: false,
      script: 'skipped',
      status: 200,
      messageIds: [newest._id],
      durationMs: expect.any(Number),
      _createdAt: expect.any(String),
    });
  });

  it('records a failing script with its error, and never stores a token or a secret', async () => {
    const script = `class Script { process_incoming_request() { throw new Error('cannot parse, key ' + process.env.SECRET_KEY); } }`;
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script, secrets: { KEY: SECRET } }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}?token=${hook.token}`).send({ alert: 'x' }).expect(400);
    const [call] = (await historyOf(hook._id)).history;
    expect(call).toMatchObject({ outcome: 'error', script: 'error', status: 400, error: 'error-running-script', messageIds: [] });
    expect(call.scriptError).toContain('cannot parse, key ***');
    const rows = await t.app.get(DataSource).query(`SELECT row_to_json(c)::text AS row FROM incoming_calls c WHERE integration_id = $1`, [hook._id]);
    expect(rows).toHaveLength(1);
    expect({ token: rows[0].row.includes(hook.token), secret: rows[0].row.includes(SECRET) }).toEqual({ token: false, secret: false });
  });

  it('keeps the first 8 kB of a body, filters by outcome and pages newest first', async () => {
    const hook = await createIntegration(admin, incomingBody());
    const big = JSON.stringify({ text: 'x'.repeat(10_000) });
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).set('content-type', 'application/json').send(big).expect(200);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'second', channel: '#elsewhere' }).expect(400);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'third' }).expect(200);
    const all = await historyOf(hook._id);
    expect(all.total).toBe(3);
    expect(all.history.map((h: { outcome: string }) => h.outcome)).toEqual(['ok', 'error', 'ok']);
    const first = all.history[2];
    expect(first).toMatchObject({ bodySize: big.length, bodyTruncated: true });
    expect(first.body).toHaveLength(8 * 1024);
    expect(all.history[1]).toMatchObject({ status: 400, error: 'overriding destination channel is disabled for this integration' });
    const errors = await historyOf(hook._id, { outcome: 'error' });
    expect(errors).toMatchObject({ total: 1, count: 1 });
    expect((await historyOf(hook._id, { count: 1, offset: 1 })).history.map((h: { _id: string }) => h._id)).toEqual([all.history[1]._id]);
    await admin.get('/api/v1/integrations.incomingHistory', { id: hook._id, outcome: 'sometimes' }).expect(400);
  });

  it('records a body holding a NUL byte (stored as U+FFFD) without losing the calls written beside it', async () => {
    const hook = await createIntegration(admin, incomingBody());
    const url = `/hooks/${hook._id}/${hook.token}`;
    await Promise.all([
      t.http.post(url).set('content-type', 'application/x-www-form-urlencoded').send('text=nul\u0000here&alias=x').expect(200),
      t.http.post(url).send({ text: 'lone \ud800 surrogate' }).expect(200),
      t.http.post(url).send({ text: 'plain' }).expect(200),
    ]);
    const page = await historyOf(hook._id);
    expect(page.total).toBe(3);
    expect(page.history.map((h: { body: string }) => h.body)).toContain('text=nul\ufffdhere&alias=x');
  });

  it('records a call whose body cannot be read, with its 400', async () => {
    const hook = await createIntegration(admin, incomingBody());
    // One form field is taken for JSON sent with a form type (spec §4.3): this one is not JSON.
    const res = await t.http.post(`/hooks/${hook._id}/${hook.token}`).set('content-type', 'application/x-www-form-urlencoded').send('not-json=1').expect(400);
    expect(res.body).toMatchObject({ success: false });
    const [call] = (await historyOf(hook._id)).history;
    expect(call).toMatchObject({ outcome: 'error', status: 400, body: 'not-json=1', script: 'skipped' });
  });

  it('records calls of a disabled integration, and not calls with a wrong token', async () => {
    const hook = await createIntegration(admin, incomingBody({ enabled: false }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x' }).expect(503);
    await t.http.post(`/hooks/${hook._id}/wrong-token`).send({ text: 'x' }).expect(401);
    const page = await historyOf(hook._id);
    expect(page.history.map((h: { status: number }) => h.status)).toEqual([503]);
  });

  it('is cleared by integrations.clearHistory, under the incoming permissions', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'to be cleared' }).expect(200);
    expect((await historyOf(hook._id)).total).toBe(1);
    expect((await admin.post('/api/v1/integrations.clearHistory', { integrationId: hook._id }).expect(200)).body).toEqual({ success: true });
    expect(await historyOf(hook._id)).toMatchObject({ history: [], total: 0 });
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'after clearing' }).expect(200);
    expect((await historyOf(hook._id)).total).toBe(1);
  });

  it('is read with the incoming permissions: others’ history is empty with the own-permission only', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x' }).expect(200);
    const user = await createUser(t, admin, { roles: ['user'] });
    expect((await user.get('/api/v1/integrations.incomingHistory', { id: hook._id }).expect(403)).body).toEqual(FORBIDDEN);
    await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-incoming-integrations', roles: ['admin', 'user'] }] }).expect(200);
    try {
      expect(await historyOf(hook._id, {}, user)).toMatchObject({ history: [], total: 0 });
      const own = await createIntegration(user, incomingBody());
      await t.http.post(`/hooks/${own._id}/${own.token}`).send({ text: 'mine' }).expect(200);
      expect((await historyOf(own._id, {}, user)).total).toBe(1);
    } finally {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-incoming-integrations', roles: ['admin'] }] }).expect(200);
    }
  });

  it('lets an integration choose what its history keeps (hookHistory), over HOOK_HISTORY', async () => {
    const quiet = await createIntegration(admin, incomingBody({ hookHistory: 'errors' }));
    expect(quiet.hookHistory).toBe('errors');
    await t.http.post(`/hooks/${quiet._id}/${quiet.token}`).send({ text: 'fine' }).expect(200);
    await t.http.post(`/hooks/${quiet._id}/${quiet.token}`).send({ text: 'x', channel: '#elsewhere' }).expect(400);
    expect((await historyOf(quiet._id)).history.map((h: { status: number }) => h.status)).toEqual([400]);
    const updated = await admin.put('/api/v1/integrations.update', { ...incomingBody({ hookHistory: 'off' }), integrationId: quiet._id }).expect(200);
    expect(updated.body.integration.hookHistory).toBe('off');
    await t.http.post(`/hooks/${quiet._id}/${quiet.token}`).send({ text: 'x', channel: '#elsewhere' }).expect(400);
    expect((await historyOf(quiet._id)).total).toBe(1);
    const reset = await admin.put('/api/v1/integrations.update', { ...incomingBody({ hookHistory: null }), integrationId: quiet._id }).expect(200);
    expect(reset.body.integration).not.toHaveProperty('hookHistory');
    await t.http.post(`/hooks/${quiet._id}/${quiet.token}`).send({ text: 'kept again' }).expect(200);
    expect((await historyOf(quiet._id)).total).toBe(2);
    await admin.post('/api/v1/integrations.create', incomingBody({ hookHistory: 'sometimes' })).expect(400);
  });

  it('forgets an integration’s calls when it is removed', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x' }).expect(200);
    await t.app.get(IncomingCallLog).flush();
    await admin.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: hook._id }).expect(200);
    expect(await t.app.get(DataSource).query(`SELECT 1 FROM incoming_calls WHERE integration_id = $1`, [hook._id])).toEqual([]);
  });
});

describe.each([
  ['errors', [400]],
  ['off', []],
] as const)(`HOOK_HISTORY=%s (${databaseKind})`, (mode, expected) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ hookHistory: mode });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  it(`keeps ${mode === 'off' ? 'no calls' : 'failed calls only'}`, async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'fine' }).expect(200);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x', channel: '#elsewhere' }).expect(400);
    await t.app.get(IncomingCallLog).flush();
    const page = (await admin.get('/api/v1/integrations.incomingHistory', { id: hook._id }).expect(200)).body;
    expect(page.history.map((h: { status: number }) => h.status)).toEqual(expected);
  });

  it("integrations.history stays Rocket.Chat's: the outgoing permissions first (403 for an incoming id without them), and no calls for an incoming id", async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'x' }).expect(200);
    await t.app.get(IncomingCallLog).flush();
    const user = await createUser(t, admin, { roles: ['user'] });
    await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-incoming-integrations', roles: ['admin', 'user'] }] }).expect(200);
    try {
      expect((await user.get('/api/v1/integrations.history', { id: hook._id }).expect(403)).body).toEqual(FORBIDDEN);
      expect((await user.get('/api/v1/integrations.history', { id: '  ' }).expect(403)).body).toEqual(FORBIDDEN);
      const kept = (await admin.get('/api/v1/integrations.incomingHistory', { id: hook._id }).expect(200)).body.total as number;
      expect((await user.get('/api/v1/integrations.incomingHistory', { id: hook._id }).expect(200)).body.total).toBe(kept);
    } finally {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-incoming-integrations', roles: ['admin'] }] }).expect(200);
    }
    expect((await admin.get('/api/v1/integrations.history', { id: hook._id }).expect(200)).body).toEqual({ history: [], offset: 0, items: 0, count: 0, total: 0, success: true });
  });
});
