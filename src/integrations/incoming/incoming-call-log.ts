import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../core/config/app-config';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { RowCounts } from '../../core/database/row-counts';
import { RowCountsFolder } from '../../core/database/row-counts-folder';
import { WriteBatch } from '../../core/background/write-batch';
import { Page } from '../../core/http/pagination';
import { toStorable } from '../../core/http/storable-text';
import { randomId } from '../../core/ids/random-id';
import { MetricsService } from '../../metrics/metrics.service';
import { AttemptFact } from '../stats/attempt-summary';
import { IntegrationStats } from '../stats/integration-stats';
import { asWithQueries } from '../../core/database/change';
import { HookHistoryMode } from '../entities/integration.entity';
import { callFailed, IncomingCall } from './incoming-call.entity';
import { deleteOlderThan } from '../../core/database/delete-older-than';

/** Calls per integration and day, kept by triggers (migration 1763886500000-incoming-calls). */
export const INCOMING_CALL_COUNTS = new RowCounts({ prefix: 'incoming_call', key: 'integration_id' });

/** What is kept of a body: its first 8 kB. */
export const KEPT_BODY_BYTES = 8 * 1024;
/** Rows waiting to be written at most; past it the oldest are dropped (and counted). */
const MAX_PENDING = 10_000;
const WRITE_AFTER_MS = 50;
const WRITE_AT = 500;

interface PendingCall {
  row?: Record<string, unknown>;
  fact: AttemptFact;
}

/** One call, as the incoming service saw it. */
export interface IncomingCallFacts {
  integrationId: string;
  at: Date;
  method: string;
  contentType: string | undefined;
  /** As the history keeps them (recordedHeaders). */
  headers: Record<string, string>;
  rawBody: string;
  script: 'ok' | 'error' | 'skipped';
  scriptError?: string;
  status: number;
  error?: string;
  messageIds: string[];
  durationMs: number;
  /** The integration's own choice of what to keep; undefined follows HOOK_HISTORY. */
  keep?: HookHistoryMode;
}

/**
 * The owner of `incoming_calls`: what reached each incoming hook and what became of it. Rows are
 * gathered in memory and written in batches off the request's path; recording never fails or
 * slows a call (a full buffer drops its oldest rows, counted in `hookline_hook_history_dropped_total`,
 * and a failed write drops its batch). HOOK_HISTORY chooses what is kept: all calls, errors only,
 * or none (an integration may choose for itself: `hookHistory`); every call counts in the integration's health (IntegrationStats) whatever it says. The
 * URL (with its token) is never stored.
 */
@Injectable()
export class IncomingCallLog implements OnApplicationShutdown {
  private readonly logger = new Logger('IncomingHistory');
  /** Calls waiting to be written: each counts in its integration's health; `row` is its history record, if kept. */
  private readonly batch = new WriteBatch<PendingCall>((calls) => this.write(calls), WRITE_AFTER_MS, WRITE_AT, {
    maxPending: MAX_PENDING,
    onDrop: (count) => this.metrics.hookHistoryDropped(count),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly database: DatabaseAvailability,
    private readonly counts: RowCountsFolder,
    private readonly stats: IntegrationStats,
  ) {
    counts.register(INCOMING_CALL_COUNTS);
  }

  record(call: IncomingCallFacts): void {
    const mode = call.keep ?? this.config.hookHistory;
    const failed = callFailed(call);
    const fact: AttemptFact = { integrationId: call.integrationId, at: call.at, ok: !failed, ...(failed ? { failure: call.scriptError ?? call.error ?? `answered ${call.status}` } : {}) };
    const kept = mode === 'all' || (mode === 'errors' && failed);
    // Never rejects: a failed write is counted and logged by `write`.
    void this.batch.add({ fact, ...(kept ? { row: this.row(call) } : {}) });
  }

  /** The history row; its text made storable (a NUL or a lone surrogate would fail the whole batch's write). */
  private row(call: IncomingCallFacts): Record<string, unknown> {
    const bytes = Buffer.from(call.rawBody, 'utf8');
    return toStorable({
      id: randomId(),
      integration_id: call.integrationId,
      created_at: call.at.toISOString(),
      method: call.method.slice(0, 8),
      content_type: call.contentType ?? null,
      headers: call.headers,
      body_bytes: bytes.length,
      body: bytes.subarray(0, KEPT_BODY_BYTES).toString('utf8'),
      body_truncated: bytes.length > KEPT_BODY_BYTES,
      script: call.script,
      script_error: call.scriptError ?? null,
      status: call.status,
      error: call.error ?? null,
      message_ids: call.messageIds,
      duration_ms: call.durationMs,
    });
  }

  /** Writes what is gathered; resolves when everything recorded so far is written (or dropped). */
  flush(): Promise<void> {
    return this.batch.flush();
  }

  /** Newest first, optionally only calls that ended well (`ok`) or not (`error`). */
  async list(integrationId: string, page: Page, outcome?: 'ok' | 'error'): Promise<[IncomingCall[], number]> {
    const query = this.dataSource.manager
      .createQueryBuilder(IncomingCall, 'c')
      .where('c.integration_id = :integrationId', { integrationId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(page.count);
    if (outcome) {
      // Filtered totals are counted: the per-day counts know every call, not their outcomes. The SQL of callFailed:
      query.andWhere(outcome === 'error' ? `(c.status >= 400 OR c.script = 'error')` : `(c.status < 400 AND c.script <> 'error')`);
      return [await query.offset(page.offset).getMany(), await query.getCount()];
    }
    const start = await this.counts.locate(INCOMING_CALL_COUNTS, integrationId, page.offset);
    if (!start.until) return [[], start.total];
    return [await query.andWhere('c.created_at < :until', { until: start.until }).offset(start.skip).getMany(), start.total];
  }

  find(integrationId: string, id: string): Promise<IncomingCall | null> {
    return this.dataSource.manager.findOneBy(IncomingCall, { id, integrationId });
  }

  /** Deletes an integration's calls (its removal). */
  async deleteFor(integrationId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.delete(IncomingCall, { integrationId });
    this.counts.noteWrites();
  }

  /** Deletes up to `limit` calls older than `days` days, oldest first; returns how many. */
  async pruneOlderThan(days: number, limit: number): Promise<number> {
    const deleted = await deleteOlderThan(this.dataSource, 'incoming_calls', days, limit);
    if (deleted) this.counts.noteWrites();
    return deleted;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** One statement: the history rows kept, and every call counted in its integration's health. */
  private async write(calls: PendingCall[]): Promise<void> {
    const rows = calls.flatMap((c) => (c.row ? [c.row] : []));
    const counted = asWithQueries(this.stats.changes(calls.map((c) => c.fact)), 1);
    try {
      await this.dataSource.query(
        `WITH ${counted.with.join(', ')}
         INSERT INTO incoming_calls (id, integration_id, created_at, method, content_type, headers, body_bytes, body, body_truncated, script, script_error, status, error, message_ids, duration_ms)
         SELECT id, integration_id, created_at, method, content_type, headers, body_bytes, body, body_truncated, script, script_error, status, error, message_ids, duration_ms
         FROM jsonb_to_recordset($1::jsonb) AS r (id varchar, integration_id varchar, created_at timestamptz, method varchar, content_type text, headers jsonb, body_bytes int,
           body text, body_truncated boolean, script varchar, script_error text, status int, error text, message_ids text[], duration_ms real)`,
        [JSON.stringify(rows), ...counted.params],
      );
      if (rows.length) this.counts.noteWrites();
    } catch (error) {
      this.metrics.hookHistoryDropped(calls.length);
      if (!this.database.report(error)) this.logger.warn(`${calls.length} incoming call records not written: ${(error as Error).message}`);
    }
  }
}
