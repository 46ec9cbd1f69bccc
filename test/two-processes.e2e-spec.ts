import { Client as PgClient } from 'pg';
import { eventually, settle } from './support/eventually';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { Sink } from './support/sink';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(180000);

/** Several processes share one database only on PostgreSQL; the embedded database is single-process by design. */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

onPostgres('two server processes on one PostgreSQL', () => {
  let sink: Sink;
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;
  let scratchUrl: string;

  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = () => ({ status: 200, body: 'ok', delayMs: 20 });
    const scratch = await createScratchDatabase(process.env.DATABASE_URL as string);
    drop = scratch.drop;
    scratchUrl = scratch.url;
    servers = await Promise.all([startServerProcess({ DATABASE_URL: scratch.url }), startServerProcess({ DATABASE_URL: scratch.url })]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await sink.close();
    await drop();
  });

  it('makes each delivery exactly once, whichever process took the message', async () => {
    const [a, b] = await Promise.all(servers.map((s) => adminOf(s.url)));
    await a.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'shared', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: [`${sink.url}/shared`], scriptEnabled: false, triggerWords: ['shared-'],
    });
    const total = 60;
    const sent = await Promise.all(
      Array.from({ length: total }, async (_, i) => (await (i % 2 ? a : b).post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: `shared-${i}` })).message._id as string),
    );
    await eventually(async () => sink.at('/shared'), (r) => r.length >= total, 60000);
    await settle(1000);
    const ids = sink.at('/shared').map((r) => r.json.message_id as string);
    expect(ids.length).toBe(total);
    expect(new Set(ids)).toEqual(new Set(sent));
  });

  it('a process with DELIVERY_CONCURRENCY=0 queues deliveries and the others, woken by notification, make them', async () => {
    const token = 'metrics-token-for-the-api-only-process';
    const apiOnly = await startServerProcess({ DATABASE_URL: scratchUrl, DELIVERY_CONCURRENCY: '0', METRICS_TOKEN: token });
    try {
      const c = await adminOf(apiOnly.url);
      await c.post('/api/v1/integrations.create', {
        type: 'webhook-outgoing', name: 'queued elsewhere', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
        urls: [`${sink.url}/api-only`], scriptEnabled: false, triggerWords: ['api-only-'],
      });
      const total = 10;
      const sent: string[] = [];
      for (let i = 0; i < total; i += 1) sent.push((await c.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: `api-only-${i}` })).message._id as string);
      // The others sleep until notified (nothing polls): only the queue's notification brings these to them.
      await eventually(async () => sink.at('/api-only'), (r) => r.length >= total, 30000);
      expect(new Set(sink.at('/api-only').map((r) => r.json.message_id as string))).toEqual(new Set(sent));
      const metrics = await (await fetch(`${apiOnly.url}/metrics?name=hookline_deliveries_total`, { headers: { authorization: `Bearer ${token}` } })).text();
      expect(metrics).not.toMatch(/^hookline_deliveries_total\{/m);
    } finally {
      await apiOnly.kill('SIGTERM');
    }
  });

  it('makes the deliveries a killed process held, once its leases run out', async () => {
    const dying = await startServerProcess({ DATABASE_URL: scratchUrl });
    const a = await adminOf(dying.url);
    // A message's first call waits 3 s (the killed process never sees its answer); a second one is answered at once.
    const seen = new Set<string>();
    sink.reply = (r) => {
      if (!r.url.startsWith('/orphaned')) return { status: 200, body: 'ok', delayMs: 20 };
      const id = JSON.parse(r.body).message_id as string;
      const first = !seen.has(id);
      seen.add(id);
      return { status: 200, body: 'ok', delayMs: first ? 3000 : 0 };
    };
    await a.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'orphaned', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: [`${sink.url}/orphaned`], scriptEnabled: false, triggerWords: ['orphaned-'],
    });
    const db = new PgClient({ connectionString: scratchUrl });
    await db.connect();
    // A url is delivered to by one process at a time: the dying process is made its owner (for 30 s,
    // cut to the lease's 10 s by its first claim), so it holds every delivery.
    const owner = await db.query(`SELECT application_name AS name FROM pg_stat_activity WHERE application_name LIKE $1 LIMIT 1`, [`hookline ${dying.child.pid}-%`]);
    await db.query(`INSERT INTO delivery_url_owners (url, owner, until) VALUES ($1, $2, now() + interval '30 seconds')`, [`${sink.url}/orphaned`, owner.rows[0].name]);
    const total = 20;
    const sent: string[] = [];
    for (let i = 0; i < total; i += 1) sent.push((await a.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: `orphaned-${i}` })).message._id as string);
    // All calls are waiting on the target, held by the dying process.
    await eventually(async () => new Set(sink.at('/orphaned').map((r) => r.json.message_id)).size, (n) => n >= total, 10000);
    await dying.kill('SIGKILL');
    try {
      await eventually(async () => Number((await db.query(`SELECT count(*) AS n FROM integration_deliveries`)).rows[0].n), (n) => n === 0, 30000);
    } finally {
      await db.end();
    }
    const ids = sink.at('/orphaned').map((r) => r.json.message_id as string);
    expect(new Set(ids)).toEqual(new Set(sent));
    // Some calls were made twice: those the killed process had in flight (its ownership of the url ran out with its leases).
    expect(ids.length).toBeGreaterThan(total);
  });

  it('an idle process wakes when a lease another process took runs out (it is told of the lease; nothing polls)', async () => {
    const [a] = await Promise.all(servers.map((s) => adminOf(s.url)));
    const { integration } = await a.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'left leased', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: [`${sink.url}/left-leased`], scriptEnabled: false, triggerWords: ['never-posted-'],
    });
    // What a process that died right after claiming leaves behind: a leased row, due again in 2 s.
    const db = new PgClient({ connectionString: scratchUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO integration_deliveries (integration_id, event, message_id, url, payload, state, run_at)
         VALUES ($1, 'sendMessage', 'msg_left_leased', $2, '{"text":"left leased"}', 'running', now() + interval '2 seconds')`,
        [integration._id, `${sink.url}/left-leased`],
      );
    } finally {
      await db.end();
    }
    // The servers are idle; they look again a lease's length after hearing of it.
    const arrived = await eventually(async () => sink.at('/left-leased'), (r) => r.length >= 1, 20000);
    expect(arrived[0].json.text).toBe('left leased');
  });

  it("drops what a process cached when another process changes it (hook tokens, integrations, logins)", async () => {
    const [a] = await Promise.all(servers.map((s) => adminOf(s.url)));
    const body = { type: 'webhook-incoming', name: 'cached', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false };
    const { integration } = await a.post('/api/v1/integrations.create', body);
    const hookOnB = async () => (await fetch(`${servers[1].url}/hooks/${integration._id}/${integration.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' })).status;
    expect(await hookOnB()).toBe(200);
    expect(await hookOnB()).toBe(200); // now served from B's memory

    expect((await a.put('/api/v1/integrations.update', { ...body, integrationId: integration._id, enabled: false })).success).toBe(true);
    await eventually(hookOnB, (status) => status === 503, 2000);
    await a.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: integration._id });
    await eventually(hookOnB, (status) => status === 401, 2000);

    // A login token B has seen is refused by B as soon as A logs it out.
    const login = (await (await fetch(`${servers[0].url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'rocketchat.internal.admin.test', password: 'rocketchat.internal.admin.test' }) })).json()) as { data: { userId: string; authToken: string } };
    const headers = { 'x-user-id': login.data.userId, 'x-auth-token': login.data.authToken };
    const meOnB = async () => (await fetch(`${servers[1].url}/api/v1/me`, { headers })).status;
    expect(await meOnB()).toBe(200);
    expect((await fetch(`${servers[0].url}/api/v1/logout`, { method: 'POST', headers })).status).toBe(200);
    await eventually(meOnB, (status) => status === 401, 2000);
  });
});
