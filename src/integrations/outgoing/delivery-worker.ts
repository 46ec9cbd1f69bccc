import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { Delivery } from '../entities/delivery.entity';
import { DeliveryExecutor } from './delivery-executor';

const IDLE_POLL_MS = 50;
/** A claimed delivery's lease; renewed while the attempt runs, so a dead process's work returns within it. */
const LEASE_MS = 10000;
const RENEW_EVERY_MS = 3000;
/** Deliveries to one url in flight at once in one process: a slow or dead target keeps only these busy. */
const PER_URL_IN_FLIGHT = 4;

interface ClaimedRow {
  id: string;
  integration_id: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  attempt: number;
}

/**
 * Makes the queued deliveries. Each process leases due rows (`FOR UPDATE SKIP LOCKED`, so a row
 * goes to one process) and renews the leases while its attempts run; a process that dies stops
 * renewing, its leases expire within LEASE_MS, and the rows are taken again (at least once). Up to DELIVERY_CONCURRENCY attempts
 * run at once, at most a few per url.
 */
@Injectable()
export class DeliveryWorker extends PollingLoop {
  protected readonly logger = new Logger('DeliveryWorker');
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly leased = new Set<string>();
  private lastRenewal = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly executor: DeliveryExecutor,
    private readonly config: AppConfig,
  ) {
    super(IDLE_POLL_MS);
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    await Promise.allSettled([...this.attempts]);
  }

  protected async tick(): Promise<boolean> {
    await this.renewLeases();
    const free = this.config.delivery.concurrency - this.attempts.size;
    if (free <= 0) return false;
    const rows = await this.withinUrlAllowance(await this.claim(free));
    for (const row of rows) this.start(row);
    return rows.length > 0;
  }

  /** Leases up to `limit` due deliveries, skipping urls already busy here. */
  private async claim(limit: number): Promise<ClaimedRow[]> {
    const busy = [...this.inFlight.entries()].filter(([, n]) => n >= PER_URL_IN_FLIGHT).map(([url]) => url);
    const [rows] = (await this.dataSource.query(
      `UPDATE integration_deliveries SET state = 'running', locked_until = now() + $3 * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM integration_deliveries
         WHERE ((state = 'pending' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
           AND NOT (url = ANY($2::text[]))
         ORDER BY run_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, integration_id, event, url, payload, attempt`,
      [limit, busy, LEASE_MS],
    )) as [ClaimedRow[], number];
    return rows;
  }

  /** Extends the leases of the attempts running here, every few seconds. */
  private async renewLeases(): Promise<void> {
    if (this.leased.size === 0 || Date.now() - this.lastRenewal < RENEW_EVERY_MS) return;
    this.lastRenewal = Date.now();
    await this.dataSource.query(
      `UPDATE integration_deliveries SET locked_until = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::bigint[]) AND state = 'running'`,
      [[...this.leased], LEASE_MS],
    );
  }

  /** Keeps at most PER_URL_IN_FLIGHT per url in flight here; the rest go straight back to the queue. */
  private async withinUrlAllowance(rows: ClaimedRow[]): Promise<ClaimedRow[]> {
    const taken = new Map<string, number>();
    const kept: ClaimedRow[] = [];
    const released: string[] = [];
    for (const row of rows) {
      const inFlight = (this.inFlight.get(row.url) ?? 0) + (taken.get(row.url) ?? 0);
      if (inFlight < PER_URL_IN_FLIGHT) {
        taken.set(row.url, (taken.get(row.url) ?? 0) + 1);
        kept.push(row);
      } else {
        released.push(row.id);
      }
    }
    if (released.length) {
      await this.dataSource.query(`UPDATE integration_deliveries SET state = 'pending', locked_until = NULL WHERE id = ANY($1::bigint[])`, [released]);
    }
    return kept;
  }

  private start(row: ClaimedRow): void {
    this.inFlight.set(row.url, (this.inFlight.get(row.url) ?? 0) + 1);
    this.leased.add(row.id);
    const attempt = this.attemptOne(row).finally(() => {
      this.leased.delete(row.id);
      const left = (this.inFlight.get(row.url) ?? 1) - 1;
      if (left > 0) this.inFlight.set(row.url, left);
      else this.inFlight.delete(row.url);
      this.attempts.delete(attempt);
      this.nudge();
    });
    this.attempts.add(attempt);
  }

  private async attemptOne(row: ClaimedRow): Promise<void> {
    const delivery = Object.assign(new Delivery(), { id: row.id, integrationId: row.integration_id, event: row.event, url: row.url, payload: row.payload, attempt: row.attempt });
    try {
      const outcome = await this.executor.attempt(delivery);
      if ('retryInMs' in outcome) {
        await this.dataSource.query(
          `UPDATE integration_deliveries SET state = 'pending', attempt = attempt + 1, locked_until = NULL,
             run_at = now() + $2 * interval '1 millisecond' WHERE id = $1`,
          [row.id, Math.round(outcome.retryInMs)],
        );
      } else {
        await this.dataSource.query(`DELETE FROM integration_deliveries WHERE id = $1`, [row.id]);
      }
    } catch (error) {
      // The lease stays: the delivery is taken again when it expires.
      this.logger.error(`delivery ${row.id} to ${row.url} failed unexpectedly: ${(error as Error).message}`);
    }
  }

}
