import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { databaseKind, processDatabase } from './support/test-app';

jest.setTimeout(120000);

describe(`secrets stay out of the logs (${databaseKind})`, () => {
  let server: ServerProcess;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const database = await processDatabase('logs');
    cleanup = database.drop;
    server = await startServerProcess({ ...database.env, LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await server.kill('SIGTERM');
    await cleanup();
  });

  it('never prints passwords, login tokens, hook tokens, outgoing tokens, script secrets or custom header values, even at debug level', async () => {
    const admin = await adminOf(server.url);
    const password = 'Sup3r-Secret-Passw0rd';
    await admin.post('/api/v1/users.create', { username: 'logged', name: 'L', email: 'l@example.com', password });
    const login = (await (await fetch(`${server.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'logged', password }) })).json()) as Record<string, any>;
    const authToken: string = login.data.authToken;
    await fetch(`${server.url}/api/v1/me`, { headers: { 'x-user-id': login.data.userId, 'x-auth-token': authToken } });
    await fetch(`${server.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'logged', password: `${password}-wrong` }) });
    const hook = (await admin.post('/api/v1/integrations.create', { type: 'webhook-incoming', name: 'h', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false })).integration;
    await fetch(`${server.url}/hooks/${hook._id}/${hook.token}?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
    await fetch(`${server.url}/hooks/${hook._id}/${hook.token.slice(0, 40)}wrongtok`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
    const outgoing = (await admin.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'o', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: ['http://127.0.0.1:9/x'], scriptEnabled: false, token: 'outgoing-token-value-123',
      headers: { Authorization: 'Bearer header-value-kept-out-of-logs' },
    })).integration;
    // A delivery with that header is attempted (and fails, logging a warning).
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'to nowhere' });
    const scriptSecret = 'sk-live-logged-by-a-script';
    const scripted = (await admin.post('/api/v1/integrations.create', {
      type: 'webhook-incoming', name: 's', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: true,
      script: `class Script { process_incoming_request() { console.log('the key is', process.env.SECRET_API_KEY); console.warn({ key: process.env.SECRET_API_KEY }); return { content: { text: 'ok' } }; } }`,
      secrets: { API_KEY: scriptSecret },
    })).integration;
    await fetch(`${server.url}/hooks/${scripted._id}/${scripted.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await new Promise((r) => setTimeout(r, 1000));
    const output = server.output();
    expect(output).toContain('the key is ***');
    expect(output).toContain('request completed');
    for (const secret of [password, authToken, hook.token, hook.token.slice(0, 40), 'outgoing-token-value-123', outgoing.signingSecret, scriptSecret, 'header-value-kept-out-of-logs']) {
      expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
