import { DataSource } from 'typeorm';
import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { eventually } from './support/eventually';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const API_KEY = 'sk-live-9f8e7d6c5b4a';
const TEAM = 'team-blue-secret';

/** Script secrets: scripts read them as process.env.SECRET_<NAME>; nobody reads them back. */
describe(`script secrets (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 }, delivery: { timeoutMs: 2000, retryDelayScale: 0.01, concurrency: 8, perUrlConcurrency: 4 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const READER = `class Script { process_incoming_request() {
    const env = process.env;
    return { content: { text: [env.SECRET_API_KEY, env.SECRET_TEAM, env.SECRET_NEW_ONE, env.HOME, Object.keys(env).join('+')].join('|') } };
  } }`;
  const hookText = async (hook: Record<string, any>) => {
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(200);
    return (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0].msg as string;
  };
  const noValueIn = (body: unknown) => {
    const text = JSON.stringify(body);
    expect({ apiKey: text.includes(API_KEY), team: text.includes(TEAM) }).toEqual({ apiKey: false, team: false });
  };

  it('gives scripts their integration’s secrets, shows names only, and changes them on update', async () => {
    const created = await admin.post('/api/v1/integrations.create', incomingBody({ scriptEnabled: true, script: READER, secrets: { API_KEY, TEAM } })).expect(200);
    noValueIn(created.body);
    const hook = created.body.integration;
    expect(hook.secrets).toEqual(['API_KEY', 'TEAM']);
    expect(await hookText(hook)).toBe(`${API_KEY}|${TEAM}|||SECRET_API_KEY+SECRET_TEAM`);

    const got = await admin.get('/api/v1/integrations.get', { integrationId: hook._id }).expect(200);
    noValueIn(got.body);
    expect(got.body.integration.secrets).toEqual(['API_KEY', 'TEAM']);
    const listed = await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200);
    noValueIn(listed.body);

    const updated = await admin
      .put('/api/v1/integrations.update', { ...incomingBody({ scriptEnabled: true, script: READER, secrets: { TEAM: null, NEW_ONE: 'fresh-value' } }), integrationId: hook._id })
      .expect(200);
    noValueIn(updated.body);
    expect(updated.body.integration.secrets).toEqual(['API_KEY', 'NEW_ONE']);
    expect(await hookText(hook)).toBe(`${API_KEY}||fresh-value||SECRET_API_KEY+SECRET_NEW_ONE`);

    // Absent `secrets` leaves them as they are.
    const untouched = await admin.put('/api/v1/integrations.update', { ...incomingBody({ scriptEnabled: true, script: READER, name: 'renamed' }), integrationId: hook._id }).expect(200);
    expect(untouched.body.integration.secrets).toEqual(['API_KEY', 'NEW_ONE']);
    expect(await hookText(hook)).toBe(`${API_KEY}||fresh-value||SECRET_API_KEY+SECRET_NEW_ONE`);
  });

  it('keeps values sealed at rest, bound to their integration and name', async () => {
    const hook = await createIntegration(admin, incomingBody({ secrets: { API_KEY } }));
    const rows = await t.app.get(DataSource).query(`SELECT name, value FROM integration_secrets WHERE integration_id = $1`, [hook._id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].value).not.toContain(API_KEY);
    expect(Buffer.from(rows[0].value, 'base64').toString('latin1')).not.toContain(API_KEY);
    // Deleting the integration deletes its secrets.
    await admin.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: hook._id }).expect(200);
    expect(await t.app.get(DataSource).query(`SELECT 1 FROM integration_secrets WHERE integration_id = $1`, [hook._id])).toEqual([]);
  });

  it('makes process.env read-only, and leaves process undefined for integrations without secrets (as Rocket.Chat does)', async () => {
    const writer = `class Script { process_incoming_request() {
      'use strict';
      let refused = 'no';
      try { process.env.SECRET_API_KEY = 'overwritten'; } catch (e) { refused = 'yes'; }
      try { process.env.SECRET_OTHER = 'added'; } catch (e) { refused += '+yes'; }
      return { content: { text: refused + ' ' + process.env.SECRET_API_KEY + ' ' + process.env.SECRET_OTHER } };
    } }`;
    const withSecrets = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: writer, secrets: { API_KEY } }));
    expect(await hookText(withSecrets)).toBe(`yes+yes ${API_KEY} undefined`);
    const without = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: `class Script { process_incoming_request() { return { content: { text: typeof process } }; } }` }));
    expect(await hookText(without)).toBe('undefined');
  });

  it('gives outgoing scripts their secrets and keeps values out of the history', async () => {
    const script = `class Script { prepare_outgoing_request({ request }) {
      request.headers['authorization'] = 'Bearer ' + process.env.SECRET_API_KEY;
      return request;
    } }`;
    const room = (await admin.post('/api/v1/channels.create', { name: 'secret-out' }).expect(200)).body.channel;
    const integration = await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}/secret-out`], scriptEnabled: true, script, secrets: { API_KEY } }));
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'go' }).expect(200);
    const [arrival] = await eventually(async () => sink.at('/secret-out'), (a) => a.length === 1);
    expect(arrival.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const history = await eventually(
      async () => (await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200)).body.history as Record<string, any>[],
      (h) => h.length === 1 && h[0].step === 'after-http-call',
    );
    expect(history[0].integration.secrets).toEqual(['API_KEY']);
    const stored = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM integration_history WHERE integration::text LIKE $1 OR data::text LIKE $1`, [`%${API_KEY}%`]);
    expect(stored[0].n).toBe(0);
  });

  it.each([
    ['a name that is not SCREAMING_SNAKE case', { 'api-key': 'v' }, 'Secret name "api-key" must be capital letters, digits and _, starting with a letter'],
    ['a name starting with a digit', { '1KEY': 'v' }, 'Secret name "1KEY" must be capital letters, digits and _, starting with a letter'],
    ['a value that is not a string', { API_KEY: 42 }, 'Secret API_KEY must be a string or null'],
    ['a value over 4 kB', { BIG: 'x'.repeat(4097) }, 'Secret BIG is longer than 4096 bytes'],
    ['more than 50 secrets', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`K${i}`, 'v'])), 'An integration holds at most 50 secrets'],
    ['secrets that are not an object', ['API_KEY'], null],
  ])('refuses %s with a 400 naming it', async (_, secrets, reason) => {
    const res = await admin.post('/api/v1/integrations.create', incomingBody({ name: 'bad secrets', secrets })).expect(400);
    if (reason) expect(res.body).toEqual(meteorError('error-invalid-secret', reason));
    else expect(res.body).toMatchObject({ success: false, errorType: 'invalid-params' });
    const names = (await admin.get('/api/v1/integrations.list', { name: 'bad secrets' }).expect(200)).body.integrations;
    expect(names).toEqual([]);
  });

  it('accepts exactly 4096 bytes and 50 secrets', async () => {
    const secrets = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`K${i}`, i === 0 ? 'é'.repeat(2048) : 'v']));
    const created = await admin.post('/api/v1/integrations.create', incomingBody({ secrets })).expect(200);
    expect(created.body.integration.secrets).toHaveLength(50);
  });
});
