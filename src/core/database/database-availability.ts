import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Connection-level failures (node, node-postgres, PostgreSQL classes 08 and 57P, too many connections). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOENT']);
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection is not established/i, /client has encountered a connection error/i, /cannot use a pool after calling end/i];
const FIRST_PROBE_MS = 1000;
const MAX_PROBE_MS = 30_000;

/** Whether an error means the database cannot be reached at all (rather than a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300')) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Knows when the database is out of reach: the first failure that says so is logged once, with
 * the reason; then a probe (`SELECT 1`, backing off from 1 s to 30 s) waits for the database and
 * logs once more when it answers again. Meanwhile requests answer 503 and background loops wait,
 * without a log line each.
 */
@Injectable()
export class DatabaseAvailability implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private downSince?: number;
  private probe?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** True when `error` is the database being unreachable (and the outage is now known). */
  report(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.logger.error(`The database is unreachable (${(error as Error).message}); requests answer 503 until it is back`);
      this.scheduleProbe(FIRST_PROBE_MS);
    }
    return true;
  }

  private scheduleProbe(delayMs: number): void {
    this.probe = setTimeout(() => void this.check(delayMs), delayMs);
    this.probe.unref();
  }

  private async check(delayMs: number): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      this.scheduleProbe(Math.min(delayMs * 2, MAX_PROBE_MS));
      return;
    }
    this.logger.log(`The database is reachable again, after ${Math.round((Date.now() - (this.downSince ?? Date.now())) / 1000)} s`);
    this.downSince = undefined;
  }

  onApplicationShutdown(): void {
    clearTimeout(this.probe);
  }
}
