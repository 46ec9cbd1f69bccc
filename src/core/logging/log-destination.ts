import pino from 'pino';

type Destination = ReturnType<typeof pino.destination>;

let destination: Destination | undefined;

/**
 * stdout for the JSON logs, written asynchronously and gathered: a write goes out once 4 kB wait
 * or 200 ms have passed, not a system call per line (at thousands of hook calls a second, one
 * access line each, the writes and the thread hand-offs behind them cost about 3 % of a call).
 * Warnings and errors go out at once (`flushIfUrgent`), and so does start-up (`flushLogs`); pino
 * flushes what is pending when the process exits.
 */
export function logDestination(): Destination {
  destination ??= pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 });
  return destination;
}

/** Writes what is gathered now. */
export function flushLogs(): void {
  destination?.flush();
}

/** pino's `logMethod` hook: a line at `warn` or above is written without waiting for company. */
export function flushIfUrgent(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number): void {
  method.apply(this, args);
  if (level >= pino.levels.values.warn) flushLogs();
}
