import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { AfterQueryEvent, DataSource, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { PreparedStatements } from './prepared-statements';
import { DATABASE_TARGET, DatabaseTarget, pgClientConfig } from './data-source-options';

/** The tables whose rows are cached in memory; each has a trigger that NOTIFYs on change. */
export const CACHED_TABLES = ['users', 'login_tokens', 'rooms', 'subscriptions', 'integrations', 'roles', 'permissions'] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];
/** Sent to listeners when changes may have been missed: everything cached is stale. */
export const EVERYTHING = '*';
export const CHANGES_CHANNEL = 'hookline_changes';
/** While notifications are down (`live` false), loops that rely on them look for work this often. */
export const POLL_WHILE_NOT_LIVE_MS = 1000;

const WRITE = /^\s*(insert|update|delete|with|truncate|merge)\b/i;
/**
 * A table a statement writes: the one named right after INSERT INTO, UPDATE, DELETE FROM, TRUNCATE
 * or MERGE INTO. Tables a statement only reads (a join, a subquery, `FOR UPDATE`) are not written:
 * counting them emptied the integrations cache at every delivery claim, which joins integrations.
 */
const TARGET = /\b(?:insert\s+into|update(?:\s+only)?|delete\s+from|truncate(?:\s+table)?|merge\s+into)\s+"?(\w+)"?/gi;
const CACHED = new Set<string>(CACHED_TABLES);
const TOUCHED = 'changedTables';
const RECONNECT_MS = 1000;

/** The cached tables a statement may write (over-reporting is harmless: it only empties caches). */
export function writtenTables(sql: string): CachedTable[] {
  if (!WRITE.test(sql)) return [];
  return [...new Set([...sql.matchAll(TARGET)].map((m) => m[1].toLowerCase()).filter((t) => CACHED.has(t)))] as CachedTable[];
}

/**
 * Tells in-memory caches when the rows under them change, so they can drop them, and background
 * loops when work arrives (`outbox_events`, `integration_deliveries`), so they need not poll.
 *  - Writes by this process: seen on every statement it runs (and again when their transaction
 *    commits), so a process never reads its own stale data.
 *  - Writes by other processes sharing a PostgreSQL: statement triggers on the cached tables
 *    NOTIFY `hookline_changes` on commit, and a dedicated connection LISTENs (skipping what this
 *    process sent: it saw those writes already). While that
 *    connection is down, `live` is false and caches stand aside; on reconnect everything is
 *    dropped, since notifications may have been missed.
 */
@Injectable()
export class ChangeFeed implements EntitySubscriberInterface, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ChangeFeed');
  private readonly listeners = new Set<(table: string) => void>();
  private listener?: Client;
  private stopped = false;
  private connected = false;
  private reportedLoss = false;
  /** The `application_name` of this process's pool: notifications it caused itself are skipped. */
  private readonly ownName: string | undefined;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(DATABASE_TARGET) private readonly target: DatabaseTarget,
    prepared: PreparedStatements,
  ) {
    dataSource.subscribers.push(this);
    // Prepared statements run outside any transaction: what they write has committed.
    prepared.onStatement((sql, succeeded) => {
      if (succeeded) writtenTables(sql).forEach((t) => this.emit(t));
    });
    this.ownName = (dataSource.options as { applicationName?: string }).applicationName;
  }

  /** Whether caches may serve: every change will reach them. */
  get live(): boolean {
    return this.connected;
  }

  onChange(listener: (table: string) => void): void {
    this.listeners.add(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => undefined);
  }

  afterQuery(event: AfterQueryEvent<unknown>): void {
    if (!event.success) return;
    const tables = writtenTables(event.query);
    if (tables.length === 0) return;
    tables.forEach((t) => this.emit(t));
    const runner = event.queryRunner;
    if (runner.isTransactionActive) {
      const touched = new Set<string>((runner.data?.[TOUCHED] as string[] | undefined) ?? []);
      tables.forEach((t) => touched.add(t));
      runner.data = { ...(runner.data ?? {}), [TOUCHED]: [...touched] };
    }
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    this.flushTouched(event.queryRunner.data);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.flushTouched(event.queryRunner.data);
  }

  /** A read that overlapped the write may have cached the old row: drop it again at the end. */
  private flushTouched(data: Record<string, unknown> | undefined): void {
    const touched = data?.[TOUCHED] as string[] | undefined;
    if (!touched || !data) return;
    delete data[TOUCHED];
    touched.forEach((t) => this.emit(t));
  }

  /** A notification's payload is `<table> <sender's application_name>`. */
  private received(payload: string | undefined): void {
    if (!payload) return this.emit(EVERYTHING);
    const space = payload.indexOf(' ');
    if (space < 0) return this.emit(payload);
    if (payload.slice(space + 1) === this.ownName) return;
    this.emit(payload.slice(0, space));
  }

  private emit(table: string): void {
    for (const listener of this.listeners) listener(table);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client(pgClientConfig(this.target));
    const lost = (reason: string) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.connected = false;
      this.emit(EVERYTHING);
      if (this.stopped) return;
      // Once per loss, not once per failed reconnection.
      if (!this.reportedLoss) this.logger.warn(`change notifications lost (${reason}); caches bypassed until reconnected`);
      this.reportedLoss = true;
      setTimeout(() => void this.listen(), RECONNECT_MS).unref();
    };
    this.listener = client;
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection closed'));
    client.on('notification', (n) => this.received(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      this.emit(EVERYTHING);
      this.connected = true;
      if (this.reportedLoss) this.logger.log('change notifications back');
      this.reportedLoss = false;
    } catch (error) {
      lost((error as Error).message);
      await client.end().catch(() => undefined);
    }
  }
}
