import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { isAlive, waitForExit } from '../src/core/database/process-status';
import { databaseRunner } from '../src/core/database/postgres-user';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { databaseKind, startTestApp } from './support/test-app';

jest.setTimeout(120000);

/** The embedded default's life: one server per DATA_DIR, nothing left running, files closed to others. */
const onEmbedded = databaseKind === 'embedded' ? describe : describe.skip;
const EMBEDDED = { DATABASE_URL: undefined as unknown as string };

const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);

onEmbedded('the embedded PostgreSQL', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  /** A DATA_DIR that does not exist yet, as on a first start (by default its parent lets others pass, as most folders do; /root does not). */
  const newDataDir = (parentMode = 0o755) => {
    const parent = mkdtempSync(join(tmpdir(), 'hookline-embedded-'));
    chmodSync(parent, parentMode);
    const dir = join(parent, 'data');
    dirs.push(dir);
    return dir;
  };
  const start = async (dataDir: string) => {
    const server = await startServerProcess({ ...EMBEDDED, DATA_DIR: dataDir });
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    for (const server of servers) await server.kill('SIGTERM');
    for (const dir of dirs) rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('refuses a second server on the same DATA_DIR, naming the directory and the process', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const refused = await start(dataDir).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toContain(`DATA_DIR ${dataDir} is in use by another Hookline server (pid ${first.child.pid}`);
    expect(refused).not.toContain('    at ');
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    // In one process too: a second application on the directory is refused.
    await expect(startTestApp({ dataDir, databaseUrl: undefined })).rejects.toThrow(/is in use by another Hookline server/);
    await first.kill('SIGTERM');
    expect(existsSync(join(dataDir, 'hookline.lock'))).toBe(false);
  });

  it('leaves no database running when Hookline is SIGKILLed, and starts again cleanly with the data', async () => {
    const dataDir = newDataDir();
    let server = await start(dataDir);
    const admin = await adminOf(server.url);
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'before the kill' });
    const postmaster = postmasterPid(dataDir);
    expect(isAlive(postmaster)).toBe(true);
    await server.kill('SIGKILL');
    expect(await waitForExit(postmaster, 15000)).toBe(true);
    server = await start(dataDir);
    const messages = (await (await adminOf(server.url)).get('/api/v1/channels.messages?roomId=GENERAL')).messages as { msg: string }[];
    expect(messages.map((m) => m.msg)).toContain('before the kill');
    await server.kill('SIGTERM');
  });

  it('stops a database an earlier Hookline left running (its watchdog killed too) before starting its own', async () => {
    const dataDir = newDataDir();
    const server = await start(dataDir);
    const orphan = postmasterPid(dataDir);
    const watchdog = parentOf(orphan);
    process.kill(watchdog, 'SIGKILL');
    await server.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(orphan)).toBe(true);
    const next = await start(dataDir);
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterPid(dataDir)).not.toBe(orphan);
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
    await next.kill('SIGTERM');
  });

  it('starts over a stale lock and a postmaster.pid naming a live process that is not PostgreSQL', async () => {
    const dataDir = newDataDir();
    const server = await start(dataDir);
    await server.kill('SIGTERM');
    writeFileSync(join(dataDir, 'hookline.lock'), JSON.stringify({ pid: 2 ** 22 + 7, startedAt: '2026-01-01T00:00:00.000Z' }));
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    writeFileSync(pidFile, `${process.pid}\n${join(dataDir, 'postgres')}\n1796000000\n5432\n\n\n  5432001  0\nready   \n`);
    const next = await start(dataDir);
    expect((await fetch(`${next.url}/health`)).status).toBe(200);
    await next.kill('SIGTERM');
  });

  it('keeps its files closed to other users whatever the umask (directories 0700, files 0600)', async () => {
    const dataDir = newDataDir();
    const umask = process.umask(0);
    let t;
    try {
      t = await startTestApp({ dataDir, databaseUrl: undefined });
      await t.app.get(DataSource).query(`CREATE TABLE written (v text); INSERT INTO written VALUES ('x')`);
    } finally {
      process.umask(umask);
    }
    const loose: string[] = [];
    const walk = (path: string) => {
      const stat = statSync(path);
      if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
      if (stat.isDirectory()) readdirSync(path).forEach((name) => walk(join(path, name)));
    };
    walk(join(dataDir, 'postgres'));
    walk(join(dataDir, 'postgres-socket'));
    walk(join(dataDir, 'hookline.lock'));
    expect(loose).toEqual([]);
    // Only the fallback account (root without user namespaces) must pass through DATA_DIR (pass only, no listing).
    expect(statSync(dataDir).mode & 0o777).toBe(databaseRunner().kind === 'account' ? 0o711 : 0o700);
    await t.close();
  });

  it('refuses a data directory of another PostgreSQL major version, saying what to do', async () => {
    const dataDir = newDataDir();
    const server = await start(dataDir);
    await server.kill('SIGTERM');
    writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '17\n');
    const refused = await start(dataDir).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/holds a PostgreSQL 17 database, and this Hookline bundles PostgreSQL 18/);
    expect(refused).toContain('Moving the embedded database');
    expect(existsSync(join(dataDir, 'hookline.lock'))).toBe(false);
  });

  /** As root on a VPS: the clone and DATA_DIR in root's 0700 home. */
  const asRoot = process.getuid?.() === 0 && databaseRunner().kind === 'namespace' ? it : it.skip;
  const closedDataDir = () => newDataDir(0o700);

  asRoot('as root, runs in a user namespace with DATA_DIR inside a 0700 folder, leaving every file root\'s', async () => {
    const dataDir = closedDataDir();
    const server = await start(dataDir);
    const admin = await adminOf(server.url);
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'from a closed folder' });
    const owners = new Set<number>();
    const walk = (path: string) => {
      owners.add(statSync(path).uid);
      if (statSync(path).isDirectory()) readdirSync(path).forEach((name) => walk(join(path, name)));
    };
    walk(join(dataDir, 'postgres'));
    expect([...owners]).toEqual([0]);
    expect(statSync(join(dataDir, '..')).mode & 0o777).toBe(0o700);
    await server.kill('SIGTERM');
  });

  asRoot('as root without user namespaces and DATA_DIR out of reach, says what works instead of a stack trace', async () => {
    const dataDir = closedDataDir();
    const refused = await startServerProcess({ ...EMBEDDED, DATA_DIR: dataDir, EMBEDDED_DB_USER_NAMESPACE: 'off' }).then(
      (server) => (servers.push(server), 'started'),
      (error: Error) => error.message,
    );
    expect(refused).toContain(`cannot reach ${dataDir}`);
    expect(refused).toContain('DATA_DIR=/var/lib/hookline');
    expect(refused).toContain('DATABASE_URL');
    expect(refused).not.toMatch(/EACCES|\n\s+at /);
  });
});
