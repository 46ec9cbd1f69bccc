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
