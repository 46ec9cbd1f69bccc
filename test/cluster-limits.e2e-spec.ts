import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(180000);

/** Several processes share one database only on PostgreSQL; the embedded database is single-process by design. */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

/** Limits a cluster keeps as one server: three processes, requests spread round-robin over them. */
onPostgres('login and hook limits across three processes on one PostgreSQL', () => {
  const drops: (() => Promise<void>)[] = [];
  const started: ServerProcess[] = [];

  const cluster = async (env: Record<string, string>) => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL as string);
    drops.push(scratch.drop);
    const servers = await Promise.all([1, 2, 3].map(() => startServerProcess({ DATABASE_URL: scratch.url, ...env })));
    started.push(...servers);
    return servers;
  };
  const login = async (server: ServerProcess, user: string) => {
    const res = await fetch(`${server.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: 'wrong password' }) });
    return { status: res.status, body: (await res.json()) as { error?: string; errorType?: string } };
  };

  afterAll(async () => {
    await Promise.all(started.map((s) => s.kill('SIGTERM')));
    for (const drop of drops) await drop();
  });

  it('blocks a user after the 10th failure in all processes, whichever answers next', async () => {
    const servers = await cluster({ LOGIN_RATE_LIMIT: '0', LOGIN_BLOCK_FAILURES_PER_USER: '10', LOGIN_BLOCK_FAILURES_PER_ADDRESS: '0' });
    const answers: string[] = [];
    for (let i = 0; i < 60; i++) answers.push((await login(servers[i % 3], 'rocket.cat')).body.error ?? 'none');
    expect(answers.slice(0, 10)).toEqual(Array(10).fill('Unauthorized'));
    expect(answers.slice(10)).toEqual(Array(50).fill('error-login-blocked-for-user'));
  });

  it('answers 429 after 30 login attempts a minute from one address, counted for the cluster', async () => {
    const servers = await cluster({ LOGIN_RATE_LIMIT: '30', LOGIN_BLOCK_FAILURES_PER_USER: '0', LOGIN_BLOCK_FAILURES_PER_ADDRESS: '0' });
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await login(servers[i % 3], `nobody-${i}`)).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(70).fill(429));
  });

  it('holds the hook rate limit of an integration for the cluster, within one fold interval of calls', async () => {
    const servers = await cluster({ HOOK_RATE_LIMIT: '30', HOOK_RATE_LIMIT_WINDOW_MS: '3600000' });
    const admin = await adminOf(servers[0].url);
    const { integration: hook } = await admin.post('/api/v1/integrations.create', { type: 'webhook-incoming', name: 'limited', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false });
    let accepted = 0;
    let limited = 0;
    // 100 calls round-robin over 2.5 s: 10 in each fold interval (250 ms). Windows are aligned to the clock; an hour's makes crossing one unlikely.
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${servers[i % 3].url}/hooks/${hook._id}/${hook.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `call ${i}` }) });
      if (res.status === 200) accepted += 1;
      if (res.status === 429) limited += 1;
      await new Promise((r) => setTimeout(r, 25));
    }
    // Counted per process, three processes would accept 90.
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + 10);
    expect(accepted + limited).toBe(100);
  });
});
