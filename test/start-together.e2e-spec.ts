import { Client as PgClient } from 'pg';
import { migrations } from '../migrations';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(180000);

/** Several processes share one database only on PostgreSQL; the embedded database is single-process by design. */
const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

onPostgres('three processes started at the same moment on an empty PostgreSQL', () => {
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL as string);
    ({ drop, url } = scratch);
    servers = await Promise.all([1, 2, 3].map(() => startServerProcess({ DATABASE_URL: url, LOG_LEVEL: 'info' })));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGTERM')));
    await drop();
  });

  it('all become ready, each migration ran once, and the first-run data exists once', async () => {
    for (const server of servers) expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    // None got there by tripping over another's migration and retrying.
    for (const server of servers) expect(server.output()).not.toMatch(/already exists|duplicate key|Unable to connect to the database/);
    const db = new PgClient({ connectionString: url });
    await db.connect();
    try {
      const ran = (await db.query<{ name: string; times: number }>('SELECT name, count(*)::int AS times FROM migrations GROUP BY name ORDER BY name')).rows;
      expect(ran).toHaveLength(migrations.length);
      expect(ran.filter((r) => r.times !== 1)).toEqual([]);
      const seeded = (await db.query<{ username: string; times: number }>(`SELECT username, count(*)::int AS times FROM users WHERE username IN ('rocket.cat', 'rocketchat.internal.admin.test') GROUP BY username ORDER BY username`)).rows;
      expect(seeded).toEqual([
        { username: 'rocket.cat', times: 1 },
        { username: 'rocketchat.internal.admin.test', times: 1 },
      ]);
      const general = (await db.query<{ times: number }>(`SELECT count(*)::int AS times FROM rooms WHERE id = 'GENERAL'`)).rows[0];
      expect(general.times).toBe(1);
    } finally {
      await db.end();
    }
    // And each serves requests.
    for (const server of servers) expect((await (await adminOf(server.url)).get('/api/v1/me')).username).toBe('rocketchat.internal.admin.test');
  });
});
