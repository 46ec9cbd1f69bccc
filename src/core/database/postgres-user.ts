import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StartupError } from '../startup-error';
import type { PostgresBinaries } from './postgres-binaries';

/** A system account, as `spawn`'s uid/gid want it. */
export interface OsAccount {
  uid: number;
  gid: number;
  name: string;
}

/**
 * How the embedded PostgreSQL is started without root's user id, which it refuses:
 * - `self`: Hookline is not root; the database runs as the same user.
 * - `namespace`: root, in a user namespace of its own where root appears as an ordinary id. The
 *   files stay root's, so a clone and DATA_DIR under `/root` (0700) work without opening anything.
 * - `account`: root where user namespaces are refused (some containers): the system user
 *   `hookline`, which needs to pass through the folders above DATA_DIR and reach the programs.
 */
export type DatabaseRunner =
  | { kind: 'self' }
  | { kind: 'namespace'; prefix: string[] }
  | { kind: 'account'; account: OsAccount; namespaceRefusal: string };

/** The id root maps to inside the namespace: any id but 0 satisfies PostgreSQL. */
const NAMESPACE_ID = 1000;
const NAMESPACE_PREFIX = ['unshare', '--user', `--map-user=${NAMESPACE_ID}`, `--map-group=${NAMESPACE_ID}`, '--'];

/** Its own account rather than `postgres`: a system PostgreSQL on the same machine gets no access to these files, and its package finds no account of ours in its way. */
const ACCOUNT = 'hookline';

/** `EMBEDDED_DB_USER_NAMESPACE=off` skips the namespace (tests of the fallback; a kernel that half-allows it). */
export function databaseRunner(env: NodeJS.ProcessEnv = process.env): DatabaseRunner {
  if (process.getuid?.() !== 0) return { kind: 'self' };
  const refusal = env.EMBEDDED_DB_USER_NAMESPACE === 'off' ? 'EMBEDDED_DB_USER_NAMESPACE is off' : namespaceRefusal();
  if (!refusal) return { kind: 'namespace', prefix: NAMESPACE_PREFIX };
  return { kind: 'account', account: systemAccount(), namespaceRefusal: refusal };
}

/** Why `unshare --user` cannot run here, or undefined when it can. */
function namespaceRefusal(): string | undefined {
  const probe = spawnSync(NAMESPACE_PREFIX[0], [...NAMESPACE_PREFIX.slice(1), 'true'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (probe.error) return `unshare is not available (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message})`;
  if (probe.status !== 0) return `unshare --user was refused (${probe.stderr.trim() || `exit ${probe.status}`})`;
  return undefined;
}

/** The command line that runs `program` as the database's user. */
export function asDatabaseUser(runner: DatabaseRunner, program: string, args: string[]): { command: string; args: string[]; ids?: { uid: number; gid: number } } {
  if (runner.kind === 'namespace') return { command: runner.prefix[0], args: [...runner.prefix.slice(1), program, ...args] };
  if (runner.kind === 'account') return { command: program, args, ids: { uid: runner.account.uid, gid: runner.account.gid } };
  return { command: program, args };
}

const idOf = (flag: '-u' | '-g'): number => Number(execFileSync('id', [flag, ACCOUNT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());

/** The system user `hookline`, created if missing. */
function systemAccount(): OsAccount {
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

const canReach = (account: OsAccount, path: string): boolean =>
  spawnSync('sh', ['-c', 'test -x "$1"', 'sh', path], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;

/**
 * The account fallback: the account must pass through DATA_DIR's parents, and reach the server
 * programs. Programs inside a clone it cannot reach are copied once into DATA_DIR
 * (`postgres-<version>`), so only DATA_DIR has to be somewhere it may pass.
 */
export function reachablePrograms(runner: Extract<DatabaseRunner, { kind: 'account' }>, root: string, binaries: PostgresBinaries): PostgresBinaries {
  const { account } = runner;
  if (!canReach(account, root)) {
    throw new StartupError(
      `Running as root, the embedded PostgreSQL would run in a user namespace, but ${runner.namespaceRefusal}. ` +
        `Its fallback, the system user "${account.name}", cannot reach ${root} (a folder above it is closed to other users, as /root is). ` +
        'Any one of these works: run Hookline as an ordinary user from a folder that user owns; ' +
        `set DATA_DIR to a folder outside /root, for example DATA_DIR=/var/lib/hookline (the programs are copied there); ` +
        'or set DATABASE_URL to a PostgreSQL server of your own.',
    );
  }
  if (canReach(account, join(binaries.bin, 'postgres'))) return binaries;
  const native = dirname(binaries.bin);
  const copy = join(root, `postgres-${binaries.version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const partial = `${copy}.partial`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    renameSync(partial, copy);
  }
  return { ...binaries, bin: join(copy, 'bin') };
}
