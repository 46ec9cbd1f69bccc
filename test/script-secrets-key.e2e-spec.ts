import { mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminOf, runUntilExit, startServerProcess } from './support/server-process';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(180000);

/** The secrets key: made once in DATA_DIR (0600), and a server without the right key refuses to start rather than lose the secrets. */
describe(`the script secrets key (${databaseKind})`, () => {
  let dir: string;
  let env: Record<string, string>;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-secrets-key-'));
    env = { DATA_DIR: dir };
    if (process.env.DATABASE_URL) {
      const scratch = await createScratchDatabase(process.env.DATABASE_URL);
      env.DATABASE_URL = scratch.url;
      drop = scratch.drop;
    } else {
      env.DATABASE_URL = '';
    }
  });
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a key file, refuses a wrong key or none while secrets exist, and works again with the right one', async () => {
    const script = `class Script { process_incoming_request() { return { content: { text: 'key:' + process.env.SECRET_API_KEY } }; } }`;
    let server = await startServerProcess(env);
    let hook: Record<string, any>;
    try {
      const admin = await adminOf(server.url);
      hook = (await admin.post('/api/v1/integrations.create', { type: 'webhook-incoming', name: 'k', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: true, script, secrets: { API_KEY: 'kept-safe' } })).integration;
      expect(hook.secrets).toEqual(['API_KEY']);
    } finally {
      await server.kill('SIGTERM');
    }
    const keyFile = join(dir, 'secrets.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const wrong = await runUntilExit({ ...env, TEST_MODE: 'true', SECRETS_KEY: 'A'.repeat(64) });
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toContain('does not open the stored script secrets');

    renameSync(keyFile, `${keyFile}.away`);
    const none = await runUntilExit({ ...env, TEST_MODE: 'true' });
    expect(none.code).not.toBe(0);
    expect(none.output).toContain('The database holds encrypted script secrets, but there is no key for them');

    renameSync(`${keyFile}.away`, keyFile);
    server = await startServerProcess(env);
    try {
      const res = await fetch(`${server.url}/hooks/${hook._id}/${hook.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(200);
      const admin = await adminOf(server.url);
      const newest = await admin.get('/api/v1/channels.messages?roomId=GENERAL&count=1');
      expect(newest.messages[0].msg).toBe('key:kept-safe');
    } finally {
      await server.kill('SIGTERM');
    }
  });
});
