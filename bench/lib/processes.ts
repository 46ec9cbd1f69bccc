import { readFileSync } from 'node:fs';
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
