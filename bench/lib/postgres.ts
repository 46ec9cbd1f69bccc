import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from './processes';

/**
 * A PostgreSQL for the run: BENCH_DATABASE_URL when given (its server must let us create
 * databases), otherwise a throwaway cluster started the way `.ci/run` starts one
 * (`$SHARED_DIR/ci/postgres.sh`, which installs Debian's PostgreSQL when missing). That script
 * turns `fsync` off, which no production server does and which would make the external database
 * look faster than any durable one (the embedded default keeps PostgreSQL's durable defaults):
 * the cluster is restarted with the defaults unless BENCH_PG_FSYNC=off.
 */
export class Postgres {
  private constructor(
    private readonly serverUrl: string,
    private readonly dataDir?: string,
    private readonly script?: string,
  ) {}

  static start(): Postgres {
    const given = process.env.BENCH_DATABASE_URL;
    if (given) return new Postgres(given);
    const script = join(process.env.SHARED_DIR ?? join(ROOT, '..', 'shared'), 'ci', 'postgres.sh');
    if (!existsSync(script)) throw new Error(`no PostgreSQL: set BENCH_DATABASE_URL, or SHARED_DIR to the folder holding ci/postgres.sh (looked for ${script})`);
    const out = execFileSync(script, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const url = /DATABASE_URL=(\S+)/.exec(out)?.[1];
    const dir = /PGTEST_DIR=(\S+)/.exec(out)?.[1];
    if (!url) throw new Error(`postgres.sh printed no DATABASE_URL: ${out}`);
    if (dir && process.env.BENCH_PG_FSYNC !== 'off') restartDurable(url, dir);
    return new Postgres(url, dir, script);
  }

  /** The postmaster's pid, for a cluster this run started (its backends are its children). */
  get pid(): number | undefined {
    if (!this.dataDir) return undefined;
    const pidFile = join(this.dataDir, 'data', 'postmaster.pid');
    return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
  }

  /** A new empty database on the server; returns its URL. */
  async freshDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.serverUrl.replace(/\/[^/]*$/, `/${name}`);
  }

  /**
   * Turns `fsync` on (PostgreSQL's default) or off (CI's setting) for the whole server, at once
   * (a reload; no restart). Only for the cluster this run started: returns false otherwise.
   */
  async setFsync(on: boolean): Promise<boolean> {
    if (!this.dataDir) return false;
    const client = new Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(on ? 'ALTER SYSTEM RESET fsync' : 'ALTER SYSTEM SET fsync = off');
      await client.query('SELECT pg_reload_conf()');
      for (let i = 0; i < 50; i += 1) {
        const probe = new Client({ connectionString: this.serverUrl });
        await probe.connect();
        const { rows } = await probe.query<{ fsync: string }>('SHOW fsync');
        await probe.end();
        if (rows[0].fsync === (on ? 'on' : 'off')) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`PostgreSQL did not take fsync=${on ? 'on' : 'off'}`);
    } finally {
      await client.end();
    }
  }

  /** Whether the run's PostgreSQL keeps PostgreSQL's durable defaults (fsync on). */
  get durable(): boolean {
    return process.env.BENCH_PG_FSYNC !== 'off' || !this.dataDir;
  }

  stop(): void {
    if (this.script && this.dataDir) execFileSync(this.script, ['stop', this.dataDir], { stdio: 'ignore' });
  }
}

/** Restarts postgres.sh's cluster with the same socket, address and port but PostgreSQL's default durability. */
function restartDurable(url: string, dir: string): void {
  const port = new URL(url).port;
  const pgCtl = execFileSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1'], { encoding: 'utf8' }).trim();
  const options = `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1`;
  const command = `${pgCtl} -D '${dir}/data' -l '${dir}/log' -w -m fast -o "${options}" restart`;
  const asPostgres = process.getuid?.() === 0 ? ['su', 'postgres', '-s', '/bin/sh', '-c', command] : ['sh', '-c', command];
  execFileSync(asPostgres[0], asPostgres.slice(1), { stdio: 'ignore' });
}
