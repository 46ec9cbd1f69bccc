import { eventually } from './support/eventually';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { Sink } from './support/sink';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(300000);

/** Several processes share one database only on PostgreSQL; the embedded database is single-process by design. */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

/**
 * A rolling restart of three processes (one at a time: SIGTERM, wait, start again) under a steady
 * post load: every answered post is delivered, and a delivery made twice is one that was in flight
 * (the same webhook-id both times).
 */
onPostgres('a rolling restart of three processes on one PostgreSQL', () => {
  let sink: Sink;
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = () => ({ status: 200, body: 'ok', delayMs: 40 });
    ({ drop, url } = await createScratchDatabase(process.env.DATABASE_URL as string));
    const env = { DATABASE_URL: url, SHUTDOWN_DRAIN_MS: '300', LOG_LEVEL: 'info' };
    servers = await Promise.all([1, 2, 3].map(() => startServerProcess(env)));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await sink.close();
    await drop();
  });

  it('loses no answered post and no delivery; only calls in flight are made again, with their webhook-id', async () => {
    const admin = await adminOf(servers[0].url);
    await admin.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'rolling', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: [`${sink.url}/rolling`], scriptEnabled: false, triggerWords: ['rolling-'],
    });
    const answered: string[] = [];
    let posting = true;
    let n = 0;
    // A steady load spread over whichever processes are up, as a proxy would.
    const poster = async () => {
      while (posting) {
        const text = `rolling-${n++}`;
        const live = servers.filter((s) => s.child.exitCode === null);
        const target = live[n % Math.max(live.length, 1)];
        try {
          // One login serves every process: sessions live in the shared database.
          const res = await fetch(`${target.url}/api/v1/chat.postMessage`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-user-id': admin.userId, 'x-auth-token': admin.authToken },
            body: JSON.stringify({ roomId: 'GENERAL', text }),
          });
          if (res.status === 200) answered.push(text);
        } catch {
          // that process was going away: this post was never answered
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all([poster(), poster()]);
    const stopped: string[] = [];
    for (let i = 0; i < servers.length; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      await servers[i].kill('SIGTERM');
      stopped.push(servers[i].output());
      servers[i] = await startServerProcess({ DATABASE_URL: url, SHUTDOWN_DRAIN_MS: '300', LOG_LEVEL: 'info' });
    }
    await new Promise((r) => setTimeout(r, 1000));
    posting = false;
    await load;

    expect(answered.length).toBeGreaterThan(50);
    const missing = () => {
      const arrived = new Set(sink.at('/rolling').map((arrival) => arrival.json.text as string));
      return answered.filter((text) => !arrived.has(text));
    };
    expect(await eventually(async () => missing(), (m) => m.length === 0, 60_000).catch(() => missing())).toEqual([]);
    const arrivals = sink.at('/rolling');
    const byText = new Map<string, Set<string>>();
    for (const arrival of arrivals) {
      const ids = byText.get(arrival.json.text) ?? new Set<string>();
      ids.add(String(arrival.headers['webhook-id']));
      byText.set(arrival.json.text, ids);
    }
    // A text that arrived twice came with one webhook-id: the same delivery, sent again.
    expect([...byText].filter(([, ids]) => ids.size > 1)).toEqual([]);
    const duplicates = arrivals.length - byText.size;
    // A delivery the stopping process's closed client cut short is handed back, never recorded as failed.
    expect(stopped.join('\n')).not.toMatch(/failed: The client is (closed|destroyed)/);
    process.stdout.write(`[rolling restart] answered ${answered.length}, arrivals ${arrivals.length}, duplicates ${duplicates}\n`);
  });
});
