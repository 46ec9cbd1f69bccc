import { execFileSync, spawnSync } from 'node:child_process';
import { StartupError } from '../startup-error';

/** The system account the embedded PostgreSQL runs as when Hookline runs as root. */
export interface OsAccount {
  uid: number;
  gid: number;
  name: string;
}

/** Its own account rather than `postgres`: a system PostgreSQL on the same machine gets no access to these files, and its package finds no account of ours in its way. */
const ACCOUNT = 'hookline';

const idOf = (flag: '-u' | '-g'): number => Number(execFileSync('id', [flag, ACCOUNT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());

/**
 * PostgreSQL refuses to run as root. When Hookline is root (a container's default, a quick try
 * on a server), the database runs as the system user `hookline`, created if missing.
 */
export function databaseAccount(): OsAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: idOf('-u'), gid: idOf('-g'), name: ACCOUNT };
  } catch {
    // Not there yet.
  }
  const common = ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin'];
  try {
    try {
      execFileSync('useradd', [...common, '--user-group', ACCOUNT], { stdio: 'ignore' });
    } catch {
      // The group may exist without the user (an account removed by hand leaves it).
      execFileSync('useradd', [...common, '--gid', ACCOUNT, ACCOUNT], { stdio: 'ignore' });
    }
    return { uid: idOf('-u'), gid: idOf('-g'), name: ACCOUNT };
  } catch (error) {
    throw new StartupError(
      `Running as root, the embedded PostgreSQL needs a system user "${ACCOUNT}" and it could not be created (${(error as Error).message}). ` +
        'Create it, or run Hookline as an ordinary user.',
    );
  }
}

/** As root: can the database account reach into `dir` (every folder above it must let it through)? */
export function assertAccountCanUse(account: OsAccount, dir: string): void {
  const probe = spawnSync('sh', ['-c', 'test -x "$1"', 'sh', dir], { uid: account.uid, gid: account.gid, stdio: 'ignore' });
  if (probe.status !== 0) {
    throw new StartupError(
      `Running as root, the embedded PostgreSQL runs as the system user "${account.name}", which cannot reach ${dir} ` +
        '(a folder above it is closed to other users, as /root is). Set DATA_DIR to a folder others may pass through, or run Hookline as an ordinary user.',
    );
  }
}
