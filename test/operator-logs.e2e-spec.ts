import { eventually } from './support/eventually';
import { spawn } from 'node:child_process';
import { adminOf, freePort, ROOT, ServerProcess, startServerProcess } from './support/server-process';
import { Sink } from './support/sink';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(60000);

/** Failed deliveries leave one warning line each that an operator can act on. */
describe(`delivery logs for operators (${databaseKind})`, () => {
  let sink: Sink;
  let server: ServerProcess;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = (r) => (r.url.startsWith('/gone') ? { status: 410, body: 'gone' } : { status: 503, body: 'later' });
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    drop = scratch?.drop;
    server = await startServerProcess({ ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://' }), LOG_LEVEL: 'warn', RETRY_DELAY_SCALE: '0.01' });
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await sink.close();
    await drop?.();
  });

  it('logs each failed attempt with the integration, the host, the status and the attempt, then the give-up and the auto-disable', async () => {
    const admin = await adminOf(server.url);
    const base = { type: 'webhook-outgoing', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general', scriptEnabled: false };
    const { integration: retrying } = await admin.post('/api/v1/integrations.create', {
      ...base, name: 'retrying', urls: [`${sink.url}/later/secret-path-token`], triggerWords: ['retry-me'], retryFailedCalls: true, retryCount: 1, retryDelay: 'powers-of-ten',
    });
    const { integration: gone } = await admin.post('/api/v1/integrations.create', { ...base, name: 'gone', urls: [`${sink.url}/gone`], triggerWords: ['gone-now'] });
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'retry-me please' });
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'gone-now please' });
    const host = new URL(sink.url).host;
    const output = await eventually(async () => server.output(), (out) => out.includes('giving up') && out.includes('410 Gone'), 20000);
    const lines = output.split('\n');
    const about = (id: string) => lines.filter((l) => l.includes(`integration ${id}`));
    expect(about(retrying._id).map((l) => JSON.parse(l).msg as string)).toEqual([
      expect.stringMatching(new RegExp(`^integration ${retrying._id} delivery \\d+ to ${host} attempt 1 answered 503: trying again in \\d+ ms$`)),
      expect.stringMatching(new RegExp(`^integration ${retrying._id} delivery \\d+ to ${host} attempt 2 answered 503: giving up after 2 attempts$`)),
    ]);
    expect(about(gone._id).map((l) => JSON.parse(l).msg as string)).toEqual([
      expect.stringMatching(new RegExp(`^integration ${gone._id} delivery \\d+ to ${host} attempt 1 answered 410 Gone: the integration is disabled$`)),
    ]);
    expect(output).not.toContain('secret-path-token');
    for (const line of [...about(retrying._id), ...about(gone._id)]) expect(JSON.parse(line).level).toBe(40);
  });

  it('at info, lines are gathered but not held: the start-up summary and a lone access line show within a moment', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    const info = await startServerProcess({ ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://' }), LOG_LEVEL: 'info' });
    try {
      await eventually(async () => info.output(), (out) => out.includes('listening on'), 1000);
      const admin = await adminOf(info.url);
      const { integration: hook } = await admin.post('/api/v1/integrations.create', { type: 'webhook-incoming', name: 'lone', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false });
      await new Promise((r) => setTimeout(r, 500));
      const before = info.output().length;
      const sent = Date.now();
      await fetch(`${info.url}/hooks/${hook._id}/${hook.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"lone call"}' });
      await eventually(async () => info.output().slice(before), (out) => out.includes(`/hooks/${hook._id}/`), 2000);
      expect(Date.now() - sent).toBeLessThan(1000);

      // A line logged inside an API request carries the request's id, as its access line does.
      const { integration: outgoing } = await admin.post('/api/v1/integrations.create', { type: 'webhook-outgoing', name: 'traced', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general', urls: ['http://127.0.0.1:9/x'], scriptEnabled: false });
      const login = (await (await fetch(`${info.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'rocketchat.internal.admin.test', password: 'rocketchat.internal.admin.test' }) })).json()) as { data: { userId: string; authToken: string } };
      const rotated = await fetch(`${info.url}/api/v1/integrations.rotateSigningSecret`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': login.data.userId, 'x-auth-token': login.data.authToken, 'x-request-id': 'trace-me-1' },
        body: JSON.stringify({ integrationId: outgoing._id }),
      });
      expect(rotated.status).toBe(200);
      const traced = await eventually(
        async () => info.output().split('\n').filter((l) => l.includes('trace-me-1')).map((l) => JSON.parse(l) as { msg: string; reqId: string; res?: { statusCode: number } }),
        (lines) => lines.some((l) => l.msg === 'request completed'),
        2000,
      );
      expect(traced.map((l) => [l.msg.replace(/ by .*/, ''), l.reqId])).toEqual([
        [`integration ${outgoing._id}: signing secret rotated`, 'trace-me-1'],
        ['request completed', 'trace-me-1'],
      ]);
      // The access line keeps pino-http's shape (log collectors parse it).
      const access = traced.find((l) => l.msg === 'request completed') as unknown as Record<string, unknown>;
      expect(Object.keys(access)).toEqual(['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'responseTime', 'msg']);
      expect(access).toMatchObject({ level: 30, req: { id: 'trace-me-1', method: 'POST', url: '/api/v1/integrations.rotateSigningSecret', remoteAddress: expect.any(String) }, res: { statusCode: 200 } });
    } finally {
      await info.kill('SIGTERM');
      await scratch?.drop();
    }
  });

  it('in a terminal, prints readable lines, the first-administrator hint among them, instead of JSON', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    // `script` gives the server a terminal as stdout, as `npm start` in a shell does.
    const { JEST_WORKER_ID: _worker, ...env } = process.env;
    const main = `${JSON.stringify(process.execPath)} --no-node-snapshot -r ts-node/register/transpile-only src/main.ts`;
    const child = spawn('script', ['-qfec', main, '/dev/null'], {
      cwd: ROOT,
      env: { ...env, NODE_OPTIONS: '', TEST_MODE: '', LOG_LEVEL: 'info', PORT: String(await freePort()), ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://', DATABASE_URL: '' }) },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await eventually(async () => output, (out) => out.includes('No administrator yet'), 30_000);
      // eslint-disable-next-line no-control-regex -- the terminal's colour codes start with ESC
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/);
      expect(plain.find((l) => l.includes('No administrator yet'))).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: \[Hookline\] No administrator yet: open http:\/\/localhost:\d+\/ui to create the first one/);
      expect(plain.filter((l) => l.startsWith('{'))).toEqual([]);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await new Promise((done) => child.once('exit', done));
      await scratch?.drop();
    }
  });
});
