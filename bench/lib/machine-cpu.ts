import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks a second in /proc/stat (USER_HZ, 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds the whole machine has spent busy so far: every process (the server, PostgreSQL,
 * the sink, the load generator) and the kernel's network work for them. From /proc/stat's first
 * line: user, nice, system, irq and softirq; idle, iowait and steal are not ours.
 */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq] = fields;
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

export const machineCores = (): number => cpus().length;

/** Runs `work` and says how many CPU seconds the machine spent meanwhile. */
export async function measuringMachineCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number }> {
  const before = machineBusySeconds();
  const result = await work();
  return { result, cpuSeconds: machineBusySeconds() - before };
}

/** Microseconds of machine CPU per operation. */
export const microsecondsEach = (cpuSeconds: number, operations: number): number => Math.round((cpuSeconds / Math.max(1, operations)) * 1e6);

/**
 * Waits until the machine is quiet: under `cores` of CPU busy over a second, at most `limitMs`.
 * An earlier case leaves work behind it (autovacuum of its tables, a checkpoint, a server still
 * writing its results) that would otherwise land on the next case's figures. Returns the wait (ms).
 */
export async function settle(cores = 0.15, limitMs = 60_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = machineBusySeconds() - before;
    if (busy < cores || Date.now() - started >= limitMs) {
      const waited = Date.now() - started;
      if (waited > 2000) process.stdout.write(`[bench] waited ${Math.round(waited / 1000)} s for the machine to be quiet (${busy.toFixed(2)} cores busy in the last second)\n`);
      return waited;
    }
  }
}
