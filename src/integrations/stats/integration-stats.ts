import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Change } from '../../core/database/change';
import { AttemptFact, summariseAttempts } from './attempt-summary';

/** What `integrations.get` and `integrations.list` show of an integration's health. */
export interface ApiStats {
  lastHour: { attempts: number; failures: number };
  last24Hours: { attempts: number; failures: number };
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailure: string | null;
  /** Outgoing only: deliveries waiting (or being made), and how long the oldest has waited. */
  pending?: number;
  oldestPendingSeconds?: number | null;
}

/**
 * The owner of `integration_stats` and `integration_health`: counts per integration and 5-minute
 * bucket, and the last success and failure, written in the same statement as the calls or
 * delivery results they count (as Changes), and read for a page of integrations in one query —
 * never a scan of history.
 */
@Injectable()
export class IntegrationStats {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The writes that count `facts`, for another module's statement. */
  changes(facts: readonly AttemptFact[]): Change[] {
    if (!facts.length) return [];
    const { buckets, health } = summariseAttempts(facts);
    return [
      {
        sql: `INSERT INTO integration_stats AS s (integration_id, bucket, attempts, failures)
              SELECT integration_id, bucket, attempts, failures
              FROM jsonb_to_recordset($1::jsonb) AS b (integration_id varchar, bucket timestamptz, attempts int, failures int)
              ON CONFLICT (integration_id, bucket) DO UPDATE SET attempts = s.attempts + EXCLUDED.attempts, failures = s.failures + EXCLUDED.failures`,
        params: [JSON.stringify(buckets)],
      },
      {
        // A success in the batch starts the run of failures again from the failures after it;
        // otherwise the batch's failures extend the run.
        sql: `INSERT INTO integration_health AS h (integration_id, last_success_at, last_failure_at, last_failure, failing_since, failures_since)
              SELECT integration_id, last_success_at, last_failure_at, last_failure, failing_since, failures_since
              FROM jsonb_to_recordset($1::jsonb) AS c (integration_id varchar, last_success_at timestamptz, last_failure_at timestamptz,
                last_failure text, failing_since timestamptz, failures_since int)
              ON CONFLICT (integration_id) DO UPDATE SET
                last_success_at = greatest(h.last_success_at, EXCLUDED.last_success_at),
                last_failure_at = greatest(h.last_failure_at, EXCLUDED.last_failure_at),
                last_failure = CASE WHEN EXCLUDED.last_failure_at >= coalesce(h.last_failure_at, '-infinity') THEN EXCLUDED.last_failure ELSE h.last_failure END,
                failing_since = CASE WHEN EXCLUDED.last_success_at IS NOT NULL THEN EXCLUDED.failing_since ELSE coalesce(h.failing_since, EXCLUDED.failing_since) END,
                failures_since = CASE WHEN EXCLUDED.last_success_at IS NOT NULL THEN EXCLUDED.failures_since ELSE h.failures_since + EXCLUDED.failures_since END`,
        params: [JSON.stringify(health)],
      },
    ];
  }

  /** The stats of these integrations (outgoing ones with their queue), by id. */
  async of(integrations: readonly { id: string; type: string }[]): Promise<Map<string, ApiStats>> {
    if (!integrations.length) return new Map();
    const rows = await this.dataSource.query<StatsRow[]>(
      `WITH ids AS (SELECT unnest($1::varchar[]) AS id),
       counts AS (
         SELECT integration_id,
                sum(attempts) FILTER (WHERE bucket >= now() - interval '1 hour')::int AS hour_attempts,
                sum(failures) FILTER (WHERE bucket >= now() - interval '1 hour')::int AS hour_failures,
                sum(attempts)::int AS day_attempts, sum(failures)::int AS day_failures
         FROM integration_stats WHERE integration_id = ANY($1) AND bucket >= now() - interval '24 hours' GROUP BY 1),
       queued AS (
         SELECT integration_id, count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::int AS oldest
         FROM integration_deliveries WHERE integration_id = ANY($1) GROUP BY 1)
       SELECT ids.id, c.hour_attempts, c.hour_failures, c.day_attempts, c.day_failures,
              h.last_success_at, h.last_failure_at, h.last_failure, q.pending, q.oldest
       FROM ids LEFT JOIN counts c ON c.integration_id = ids.id LEFT JOIN integration_health h ON h.integration_id = ids.id
       LEFT JOIN queued q ON q.integration_id = ids.id`,
      [integrations.map((i) => i.id)],
    );
    const outgoing = new Set(integrations.filter((i) => i.type === 'webhook-outgoing').map((i) => i.id));
    return new Map(rows.map((r) => [r.id, toApiStats(r, outgoing.has(r.id))]));
  }

  /**
   * Of these integrations, the enabled ones whose deliveries have all failed for at least `hours`
   * with at least `attempts` attempts, with what to tell their owner.
   */
  async failingFor(integrationIds: readonly string[], hours: number, attempts: number): Promise<{ id: string; urls: string[] | null; failures: number; lastFailure: string | null }[]> {
    if (!integrationIds.length) return [];
    return this.dataSource.query(
      `SELECT h.integration_id AS id, i.urls, h.failures_since AS failures, h.last_failure AS "lastFailure"
       FROM integration_health h JOIN integrations i ON i.id = h.integration_id
       WHERE h.integration_id = ANY($1) AND i.enabled AND h.failing_since <= now() - $2::float8 * interval '1 hour' AND h.failures_since >= $3`,
      [integrationIds, hours, attempts],
    );
  }

  /** A run of failures ends when its integration is enabled again. */
  async resetRun(m: EntityManager, integrationId: string): Promise<void> {
    await m.query(`UPDATE integration_health SET failing_since = NULL, failures_since = 0 WHERE integration_id = $1`, [integrationId]);
  }

  /** Forgets an integration's stats (its removal). */
  async deleteFor(integrationId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(`DELETE FROM integration_stats WHERE integration_id = $1`, [integrationId]);
    await m.query(`DELETE FROM integration_health WHERE integration_id = $1`, [integrationId]);
  }

  /** Deletes buckets older than two days (only the last 24 hours are shown); returns how many. */
  async prune(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(`DELETE FROM integration_stats WHERE bucket < now() - interval '2 days'`);
    return deleted;
  }
}

interface StatsRow {
  id: string;
  hour_attempts: number | null;
  hour_failures: number | null;
  day_attempts: number | null;
  day_failures: number | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure: string | null;
  pending: number | null;
  oldest: number | null;
}

function toApiStats(r: StatsRow, outgoing: boolean): ApiStats {
  return {
    lastHour: { attempts: r.hour_attempts ?? 0, failures: r.hour_failures ?? 0 },
    last24Hours: { attempts: r.day_attempts ?? 0, failures: r.day_failures ?? 0 },
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lastFailureAt: r.last_failure_at?.toISOString() ?? null,
    lastFailure: r.last_failure,
    ...(outgoing ? { pending: r.pending ?? 0, oldestPendingSeconds: r.oldest } : {}),
  };
}
