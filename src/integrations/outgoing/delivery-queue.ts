import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Change } from '../../core/database/change';
import { MetricsService } from '../../metrics/metrics.service';
import { newMessageId } from './request-signer';

export interface NewDelivery {
  integrationId: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  /** The outbox event it comes from, when it is queued together with taking that event. */
  eventId?: string;
  /** Leased at once to the process queueing it (its worker has room): no claim needed. */
  leased?: boolean;
  /** Its integration has a `deliveryRateLimit`: it waits for a claim, which gives it a send time. */
  throttled?: boolean;
}

/**
 * How long a lease lasts. The holder renews it while the delivery waits or runs; a process that
 * dies stops renewing, and its deliveries are due again within this time.
 */
export const LEASE_MS = 10000;

/**
 * How far ahead a claim reserves send times of a throttled integration: a second's worth of
 * its rate (at least one), so a process that dies holding them leaves a gap of about a second.
 */
export const THROTTLE_HORIZON_MS = 1000;

/** A queued delivery: `leased` ones belong to this process now. */
export type QueuedRow = ClaimedDelivery & { leased: boolean };

/**
 * The statement that queues deliveries, and how to read what it returned: only each row's id and
 * whether it was leased come back; the rest (the payload above all) is what this process just
 * sent, so it is not serialised by PostgreSQL and parsed again here.
 */
export interface QueueingChange extends Change {
  queued(rows: unknown[]): QueuedRow[];
}

interface InsertedRow {
  id: string;
  messageId: string;
  leased: boolean;
}

/** A delivery leased to this process. */
export interface ClaimedDelivery {
  id: string;
  integrationId: string;
  event: string;
  messageId: string;
  url: string;
  payload: Record<string, unknown>;
  attempt: number;
  /** Throttled (its integration's `deliveryRateLimit`): milliseconds until its send time. */
  waitMs?: number | null;
}

export interface Claim {
  deliveries: ClaimedDelivery[];
  /** Milliseconds until the next delivery not yet due becomes due (a retry, or a lease running out); undefined when none. */
  nextDueInMs: number | undefined;
}

/** An attempt to try again later. */
export interface Retry {
  id: string;
  inMs: number;
}

/**
 * The durable queue of outgoing deliveries (`integration_deliveries`), and the only code that
 * touches that table. A row is due when `run_at` has passed; `claim` leases due rows by moving
 * `run_at` past the lease, `renew` extends leases, `release` hands rows back, and a finished
 * attempt either deletes its row or schedules it again (`finishChanges`). Rows that become due
 * NOTIFY other processes (a trigger); this process's worker hears of them through `announce`.
 */
@Injectable()
export class DeliveryQueue {
  private readonly listeners = new Set<() => void>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    metrics.watchDeliveryQueue(this);
  }

  /** Queues deliveries (a replay) in a statement of their own; call `announce()` after. */
  async enqueue(jobs: NewDelivery[]): Promise<void> {
    const change = this.enqueueChange(jobs);
    if (change) await this.dataSource.query(change.sql, change.params);
  }

  /**
   * The INSERT that queues `jobs`, for another module's statement; with `condition` (SQL on `j`,
   * the job: its `event_id` for instance), only the jobs it holds for are queued. Jobs marked
   * `leased` are leased for `LEASE_MS` at once; the statement returns them (`QueuedRow`).
   */
  enqueueChange(jobs: NewDelivery[], condition?: string): QueueingChange | undefined {
    if (jobs.length === 0) return undefined;
    const rows = jobs.map((job, seq) => ({
      seq,
      event_id: job.eventId ?? null,
      integration_id: job.integrationId,
      event: job.event,
      message_id: newMessageId(),
      url: job.url,
      payload: job.payload,
      leased: job.leased === true,
    }));
    return {
      sql: `INSERT INTO integration_deliveries (integration_id, event, message_id, url, payload, state, run_at)
            SELECT j.integration_id, j.event, j.message_id, j.url, j.payload,
                   CASE WHEN j.leased THEN 'running' ELSE 'pending' END,
                   CASE WHEN j.leased THEN now() + $2 * interval '1 millisecond' ELSE now() END
            FROM jsonb_to_recordset($1::jsonb) AS j(seq int, event_id bigint, integration_id varchar, event varchar, message_id text, url text, payload jsonb, leased boolean)
            ${condition ? `WHERE ${condition}` : ''}
            ORDER BY j.seq
            RETURNING id::text AS "id", message_id AS "messageId", state = 'running' AS "leased"`,
      params: [JSON.stringify(rows), LEASE_MS],
      queued: (inserted) => {
        const byMessageId = new Map(rows.map((row, i) => [row.message_id, jobs[i]]));
        return (inserted as InsertedRow[]).flatMap(({ id, messageId, leased }) => {
          const job = byMessageId.get(messageId);
          return job ? [{ id, integrationId: job.integrationId, event: job.event, messageId, url: job.url, payload: job.payload, attempt: 0, leased }] : [];
        });
      },
    };
  }

  /** Tells this process's worker that committed deliveries are waiting. */
  announce(): void {
    for (const listener of this.listeners) listener();
  }

  onAnnounced(listener: () => void): void {
    this.listeners.add(listener);
  }

  /**
   * Leases up to `limit` due deliveries, oldest first, for `LEASE_MS`: at most `perUrl` of one url,
   * or `room[url]` for the urls named there (0 skips a url), and says when the next one not yet due
   * will be (a retry, or the end of a lease other than those of `held`, this process's own); one
   * statement. It looks at the oldest `4 × perUrl` due rows at most, so a long backlog of one url
   * costs no more than a short one. Rows another process is claiming are skipped, not waited for.
   *
   * Two limits hold for the cluster here. A url is delivered to by one process at a time: the
   * claim skips urls another process owns (`delivery_url_owners`) and takes or keeps ownership of
   * those it claims, so the url's concurrency cap is never exceeded by processes together. An
   * integration with a `deliveryRateLimit` gets send times one 1/rate apart from its row in
   * `delivery_throttles`, reserved by whichever process claims, at most THROTTLE_HORIZON_MS (or one
   * 1/rate, if longer) ahead; a delivery comes back with `waitMs` until its send time.
   */
  async claim(limit: number, perUrl: number, room: Record<string, number>, held: string[]): Promise<Claim> {
    const [row] = await this.dataSource.query<{ deliveries: ClaimedDelivery[]; next_due_in_ms: number | null }[]>(
      `WITH due AS (
         SELECT d.id, d.url, d.integration_id, d.run_at FROM integration_deliveries d
         WHERE d.run_at <= now() AND coalesce(($3::jsonb ->> d.url)::int, $2) > 0
           AND NOT EXISTS (SELECT 1 FROM delivery_url_owners o
                           WHERE o.url = d.url AND o.until > now() AND o.owner <> current_setting('application_name'))
           AND NOT EXISTS (SELECT 1 FROM delivery_throttles t JOIN integrations i ON i.id = t.integration_id
                           WHERE t.integration_id = d.integration_id AND t.next_at > now() + greatest($6, 1000 / i.delivery_rate_limit) * interval '1 millisecond')
         ORDER BY d.run_at, d.id
         LIMIT least($1, 4 * $2)
         FOR UPDATE SKIP LOCKED),
       ranked AS (
         SELECT due.id, due.url, due.integration_id, due.run_at, i.delivery_rate_limit AS rate,
                greatest(t.next_at, now()) AS free_at,
                row_number() OVER (PARTITION BY due.url ORDER BY due.run_at, due.id) AS n_url,
                row_number() OVER (PARTITION BY due.integration_id ORDER BY due.run_at, due.id) AS n_integration
         FROM due JOIN integrations i ON i.id = due.integration_id
         LEFT JOIN delivery_throttles t ON t.integration_id = due.integration_id),
       candidates AS (
         SELECT id, url, integration_id, run_at, rate FROM ranked
         WHERE n_url <= coalesce(($3::jsonb ->> url)::int, $2)
           AND (rate IS NULL OR n_integration <= floor(extract(epoch FROM now() + greatest($6, 1000 / rate) * interval '1 millisecond' - free_at) * rate) + 1)
         ORDER BY run_at, id
         LIMIT $1),
       -- Upserted in url order (throttles in id order), so two claims never wait for each other in a circle.
       owned AS (
         INSERT INTO delivery_url_owners AS o (url, owner, until)
         SELECT DISTINCT url, current_setting('application_name'), now() + $4 * interval '1 millisecond' FROM candidates ORDER BY url
         ON CONFLICT (url) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE o.owner = excluded.owner OR o.until <= now()
         RETURNING url),
       picked AS (
         SELECT id, integration_id, rate,
                row_number() OVER (PARTITION BY integration_id ORDER BY run_at, id) AS slot,
                count(*) OVER (PARTITION BY integration_id) AS taken
         FROM candidates WHERE url IN (SELECT url FROM owned)),
       throttled AS (
         INSERT INTO delivery_throttles AS t (integration_id, next_at)
         SELECT integration_id, now() + max(taken) / max(rate) * interval '1 second' FROM picked
         WHERE rate IS NOT NULL GROUP BY integration_id ORDER BY integration_id
         ON CONFLICT (integration_id) DO UPDATE SET next_at = greatest(t.next_at, now()) + (excluded.next_at - now())
         RETURNING integration_id, next_at),
       claimed AS (
         UPDATE integration_deliveries d SET state = 'running', run_at = now() + $4 * interval '1 millisecond'
         FROM picked p WHERE d.id = p.id
         RETURNING d.id::text AS "id", d.integration_id AS "integrationId", d.event, d.message_id AS "messageId", d.url, d.payload, d.attempt,
                   p.slot, p.taken, p.rate),
       sent AS (
         SELECT c.id, c."integrationId", c.event, c."messageId", c.url, c.payload, c.attempt,
                -- The slot's send time: the last reserved one is next_at - 1/rate.
                CASE WHEN c.rate IS NOT NULL THEN (extract(epoch FROM th.next_at - now()) * 1000 - (c.taken - c.slot + 1) * 1000 / c.rate)::float8 END AS "waitMs"
         FROM claimed c LEFT JOIN throttled th ON th.integration_id = c."integrationId")
       SELECT (SELECT coalesce(json_agg(sent ORDER BY sent.id::bigint), '[]') FROM sent) AS deliveries,
              (SELECT extract(epoch FROM min(run_at) - now()) * 1000 FROM integration_deliveries
               WHERE run_at > now() AND run_at < 'infinity' AND NOT (id = ANY($5::bigint[])))::float8 AS next_due_in_ms`,
      [limit, perUrl, JSON.stringify(room), LEASE_MS, held, THROTTLE_HORIZON_MS],
    );
    return { deliveries: row.deliveries, nextDueInMs: row.next_due_in_ms ?? undefined };
  }

  /**
   * Extends the leases of `ids` (held by this process) to `LEASE_MS` from now, and this process's
   * ownership of `urls`; returns the urls it still owns (one it stopped renewing may have passed on).
   */
  async renew(ids: string[], urls: string[]): Promise<string[]> {
    if (ids.length === 0 && urls.length === 0) return [];
    const rows = await this.dataSource.query<{ url: string }[]>(
      `WITH leases AS (
         UPDATE integration_deliveries SET run_at = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::bigint[]) AND state = 'running')
       UPDATE delivery_url_owners SET until = now() + $2 * interval '1 millisecond'
       WHERE url IN (SELECT url FROM delivery_url_owners WHERE url = ANY($3::text[]) AND owner = current_setting('application_name') ORDER BY url FOR UPDATE)
       RETURNING url`,
      [ids, LEASE_MS, urls],
    );
    return rows.map((r) => r.url);
  }

  /** Its rate limit changed: the send times reserved under the old one no longer count. */
  async restartThrottle(m: EntityManager, integrationId: string): Promise<void> {
    await m.query(`DELETE FROM delivery_throttles WHERE integration_id = $1`, [integrationId]);
  }

  /** Gives up this process's urls (it is stopping): other processes may deliver to them at once. */
  async disown(): Promise<void> {
    await this.dataSource.query(`DELETE FROM delivery_url_owners WHERE owner = current_setting('application_name')`);
  }

  /** Hands leased deliveries back, due now, for any process to take. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE integration_deliveries SET state = 'pending', run_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** The writes that end attempts, for another module's statement: `done` deliveries leave the queue, `retries` are due again later. */
  finishChanges(done: string[], retries: Retry[]): Change[] {
    const changes: Change[] = [];
    if (done.length) changes.push({ sql: `DELETE FROM integration_deliveries WHERE id = ANY($1::bigint[])`, params: [done] });
    if (retries.length) {
      changes.push({
        // A paused delivery (its integration is disabled) waits at 'infinity' and keeps its attempt count.
        sql: `UPDATE integration_deliveries d SET state = 'pending',
                attempt = CASE WHEN r.ms = 'Infinity' THEN d.attempt ELSE d.attempt + 1 END,
                run_at = CASE WHEN r.ms = 'Infinity' THEN 'infinity' ELSE now() + r.ms * interval '1 millisecond' END
              FROM unnest($1::bigint[], $2::float8[]) AS r(id, ms) WHERE d.id = r.id`,
        params: [retries.map((r) => r.id), retries.map((r) => (Number.isFinite(r.inMs) ? Math.round(r.inMs) : 'Infinity'))],
      });
    }
    return changes;
  }

  /** Holds the integration's waiting deliveries (it was disabled): they wait at 'infinity' until `resumeFor`. */
  async pauseFor(m: EntityManager, integrationId: string): Promise<void> {
    await m.query(`UPDATE integration_deliveries SET run_at = 'infinity' WHERE integration_id = $1 AND state = 'pending'`, [integrationId]);
  }

  /**
   * Lets the integration's held deliveries go again (it was enabled), oldest first as always;
   * those queued more than `keepDays` days ago (the history retention; 0 keeps all) are deleted.
   */
  async resumeFor(m: EntityManager, integrationId: string, keepDays: number): Promise<void> {
    if (keepDays > 0) {
      await m.query(`DELETE FROM integration_deliveries WHERE integration_id = $1 AND run_at = 'infinity' AND created_at < now() - make_interval(days => $2)`, [integrationId, keepDays]);
    }
    await m.query(`UPDATE integration_deliveries SET run_at = now() WHERE integration_id = $1 AND run_at = 'infinity'`, [integrationId]);
  }

  /** Deliveries in the queue, waiting or running. */
  async depth(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM integration_deliveries`);
    return row.n;
  }

  /** How long the oldest due delivery nobody holds has waited, in seconds (0 when none). */
  async oldestDueSeconds(): Promise<number> {
    const [row] = await this.dataSource.query<{ age: number }[]>(
      `SELECT coalesce(extract(epoch FROM now() - min(run_at)), 0)::float8 AS age FROM integration_deliveries WHERE run_at <= now()`,
    );
    return row.age;
  }
}
