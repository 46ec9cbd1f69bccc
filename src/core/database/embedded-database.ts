import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Port number only names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP. */
const SOCKET_PORT = 5432;

export interface PgConnectionTarget {
  host: string;
  port: number;
  username: string;
  database: string;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over a private unix socket, so the app talks
 * to it with the ordinary `pg` driver. PGlite has a single session: the pool in front of it must
 * hold exactly one connection, which makes every transaction run alone and stay isolated (unlike
 * drivers that share one session between pool clients, where a rollback discards a neighbour's
 * write).
 */
export class EmbeddedDatabase {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly socketDir: string,
  ) {}

  /** `dataDir` of `memory://` keeps everything in memory (tests, trials). */
  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    let storage: string | undefined;
    if (dataDir !== 'memory://') {
      storage = join(dataDir, 'pglite');
      mkdirSync(storage, { recursive: true });
    }
    const db = await PGlite.create(storage ? { dataDir: storage } : {});
    // mkdtemp makes the directory 0700: only this user can reach the socket inside.
    const socketDir = mkdtempSync(join(tmpdir(), 'hookline-pg-'));
    const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`), maxConnections: 1 });
    await server.start();
    return new EmbeddedDatabase(db, server, socketDir);
  }

  get target(): PgConnectionTarget {
    return { host: this.socketDir, port: SOCKET_PORT, username: 'postgres', database: 'postgres' };
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    rmSync(this.socketDir, { recursive: true, force: true });
  }
}
