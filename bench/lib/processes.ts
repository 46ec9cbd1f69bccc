import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/server-process';

export const ROOT = join(__dirname, '..', '..');

export interface NodeProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Resident memory now, in MB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
  output(): string;
}

export function rssMbOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : NaN;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node [nodeArgs] script` on a free port (given as PORT) and waits until `ready` answers
 * (bounded by `timeoutMs`). TypeScript scripts run through ts-node (transpile only).
 */
export async function startNode(
  script: string,
  env: Record<string, string | undefined>,
  opts: { nodeArgs?: string[]; readyPath?: string; timeoutMs?: number } = {},
): Promise<NodeProcess> {
  const port = await freePort();
  const tsArgs = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), NODE_OPTIONS: '' };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...tsArgs, script], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    try {
      if ((await fetch(`${url}${opts.readyPath ?? '/_stats'}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start in time:\n${output.slice(-4000)}`);
    }
    await sleep(150);
  }
  return {
    child,
    port,
    url,
    rssMb: () => rssMbOf(child.pid as number),
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
