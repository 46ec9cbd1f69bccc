import { eventually } from './support/eventually';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { TcpProxy } from './support/tcp-proxy';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(90000);

/** The connection to an external PostgreSQL is cut by a proxy in between (the embedded one has no network to cut). */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

onPostgres('a database outage', () => {
  let proxy: TcpProxy;
  let server: ServerProcess;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL as string);
    drop = scratch.drop;
    const url = new URL(scratch.url);
    proxy = await TcpProxy.start(url.hostname, Number(url.port));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    server = await startServerProcess({ DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await proxy?.close();
    await drop?.();
  });

  it('answers 503 while PostgreSQL is out of reach, logs the outage once and its end once, and recovers by itself', async () => {
    const admin = await adminOf(server.url);
    const { integration } = await admin.post('/api/v1/integrations.create', {
      type: 'webhook-incoming', name: 'outage', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false,
    });
    const hook = `${server.url}/hooks/${integration._id}/${integration.token}`;
    const postHook = () => fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"during"}' });
    const login = () =>
      fetch(`${server.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'rocketchat.internal.admin.test', password: 'rocketchat.internal.admin.test' }),
      });
    expect((await postHook()).status).toBe(200);

    proxy.cut();
    const answers: { status: number; body: unknown }[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      for (const call of [postHook, login]) {
        const res = await call();
        answers.push({ status: res.status, body: await res.json() });
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(answers.length).toBeGreaterThan(10);
    expect(answers.filter((a) => a.status !== 503)).toEqual([]);
    expect(answers[0].body).toEqual({ success: false, error: 'Service Unavailable' });
    expect((await fetch(`${server.url}/health`)).status).toBe(503);

    proxy.restore();
    await eventually(async () => (await postHook()).status, (status) => status === 200, 30000);
    await eventually(async () => server.output(), (out) => out.includes('The database is reachable again'), 40000);
    const output = server.output();
    expect(output.match(/The database is unreachable/g)).toHaveLength(1);
    expect(output).not.toContain('Unexpected error');
    // Not a line per request or per background round: the outage, the change feed's loss, TypeORM's pool notices.
    const complaints = output.split('\n').filter((line) => /"level":(40|50)/.test(line));
    process.stdout.write(`[outage] ${complaints.length} warning/error lines:\n${complaints.map((l) => l.slice(0, 200)).join('\n')}\n`);
    expect(complaints.length).toBeLessThanOrEqual(6);
    expect((await login()).status).toBe(200);
  });
});
