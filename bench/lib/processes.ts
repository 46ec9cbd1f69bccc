import { readdirSync, readFileSync } from 'node:fs';
import { NodeProcess as StartedProcess, startNodeProcess } from '../../test/support/server-process';

export { ROOT } from '../../test/support/server-process';

/** A process the benchmarks started, with its memory and a graceful stop. */
export interface NodeProcess extends StartedProcess {
  /** Resident memory now, in MB (from /proc). */
  rssMb(): number;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

export function rssMbOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `pid` and every process below it (the embedded database's watchdog, server and backends). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]) ?? []));
  return tree;
}

/**
 * Proportional set size of a process tree, in MB: shared pages (PostgreSQL's shared buffers, the
 * binaries) counted once across the tree, unlike summing RSS.
 */
export function pssMbOfTree(pid: number): number {
  let kb = 0;
  for (const member of processTree(pid)) {
    try {
      const line = readFileSync(`/proc/${member}/smaps_rollup`, 'utf8').split('\n').find((l) => l.startsWith('Pss:'));
      kb += line ? Number(line.replace(/\D+/g, '')) : 0;
    } catch {
      // gone meanwhile
    }
  }
  return Math.round(kb / 1024);
}

/** CPU time (user + system, seconds) used so far by a process tree. */
export function cpuSecondsOfTree(pid: number): number {
  let seconds = 0;
  for (const used of cpuSecondsByProcess(pid).values()) seconds += used;
  return seconds;
}

/** CPU time (user + system, seconds) used so far by each process of a tree. */
export function cpuSecondsByProcess(pid: number): Map<number, number> {
  const used = new Map<number, number>();
  for (const member of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1].split(' ');
      used.set(member, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone meanwhile
    }
  }
  return used;
}

/**
 * Starts counting a process tree's CPU; the returned function gives the seconds used since by the
 * processes alive at its call (a process that ended meanwhile takes its time with it, and one that
 * started counts from its start: a database's idle connections closing must not count as negative).
 */
export function cpuSecondsSince(pid: number): () => number {
  const before = cpuSecondsByProcess(pid);
  return () => {
    let seconds = 0;
    for (const [member, used] of cpuSecondsByProcess(pid)) seconds += used - (before.get(member) ?? 0);
    return seconds;
  };
}

/** Starts `script` (see startNodeProcess) and waits for `readyPath` (default: the sink's `/_stats`). */
export async function startNode(
  script: string,
  env: Record<string, string | undefined>,
  opts: { nodeArgs?: string[]; readyPath?: string; timeoutMs?: number } = {},
): Promise<NodeProcess> {
  // Servers under load log a lot: keep only the tail for error messages.
  const started = await startNodeProcess(script, env, { ...opts, readyPath: opts.readyPath ?? '/_stats', keepOutput: 100_000 });
  const stop = async () => {
    const force = setTimeout(() => started.child.kill('SIGKILL'), 10_000);
    await started.kill('SIGTERM');
    clearTimeout(force);
  };
  return { ...started, rssMb: () => rssMbOf(started.child.pid as number), stop };
}
