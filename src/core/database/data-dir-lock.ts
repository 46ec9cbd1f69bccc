import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StartupError } from '../startup-error';
import { commandLine, isAlive } from './process-status';

interface Holder {
  pid: number;
  startedAt: string;
}

/** Another live Hookline holds this DATA_DIR (the commands point to that server instead). */
export class DataDirInUse extends StartupError {
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly startedAt: string,
  ) {
    super(`DATA_DIR ${dir} is in use by another Hookline server (pid ${pid}, running since ${startedAt}). Stop that server first, or give this one another DATA_DIR.`);
  }
}

/** Locks taken by this process: a second server in the same process must be refused too. */
const heldHere = new Set<string>();

/**
 * One Hookline server per data directory: `$DATA_DIR/hookline.lock` (mode 0600) names the
 * process that holds it. A lock whose process is gone (killed, crashed) is taken over; a live
 * holder makes the next server refuse to start, naming the directory and the process.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dir: string): DataDirLock {
    const path = join(dir, 'hookline.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies Holder));
        closeSync(fd);
        heldHere.add(path);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readHolder(path);
      if (holder && isHolding(path, holder)) throw new DataDirInUse(dir, holder.pid, holder.startedAt);
      try {
        unlinkSync(path);
      } catch {
        // Another starting server removed it first; the next attempt decides.
      }
    }
    throw new StartupError(`Could not take the lock ${path}: other servers keep starting on this DATA_DIR`);
  }

  release(): void {
    heldHere.delete(this.path);
    if (readHolder(this.path)?.pid !== process.pid) return;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, startedAt: String(holder.startedAt) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the recorded process still holds the lock. After a reboot its id may belong to
 * something else: a live process that is not Node does not hold it.
 */
function isHolding(path: string, holder: Holder): boolean {
  if (holder.pid === process.pid) return heldHere.has(path);
  if (!isAlive(holder.pid)) return false;
  const command = commandLine(holder.pid);
  return command === undefined || /node/i.test(command);
}
