import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { MetricsService } from '../../metrics/metrics.service';
import { Delivery } from '../entities/delivery.entity';
import { IntegrationsService } from '../integrations.service';
import { DeliveryExecutor } from './delivery-executor';
import { DeliveryQueue } from './delivery-queue';

const IDLE_POLL_MS = 50;
/** A claimed delivery's lease; renewed while it waits or runs here, so a dead process's work returns within it. */
const LEASE_MS = 10000;
const RENEW_EVERY_MS = 3000;

interface ClaimedRow {
  id: string;
  integration_id: string;
  event: string;
  message_id: string;
  url: string;
  payload: Record<string, unknown>;
  attempt: number;
}

/**
 * Makes the queued deliveries. Each process leases due rows in batches (`FOR UPDATE SKIP
 * LOCKED`, so a row goes to one process), keeps them in a local queue per url, and renews the
 * leases while they wait or run; a process that dies stops renewing, its leases expire within
 * LEASE_MS, and the rows are taken again (at least once). Up to DELIVERY_CONCURRENCY attempts run
 * at once, at most DELIVERY_PER_URL_CONCURRENCY per url, so a slow or dead target keeps only
 * those busy. A process holds at most twice DELIVERY_CONCURRENCY rows, and at most that many of
 * one url, so others get the rest.
 */
@Injectable()
export class DeliveryWorker extends PollingLoop {
  protected readonly logger = new Logger('DeliveryWorker');
  private readonly waiting = new Map<string, ClaimedRow[]>();
  private readonly runningByUrl = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly leased = new Set<string>();
  private lastRenewal = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly executor: DeliveryExecutor,
    private readonly config: AppConfig,
    private readonly integrations: IntegrationsService,
    queue: DeliveryQueue,
    database: DatabaseAvailability,
    private readonly metrics: MetricsService,
  ) {
    super(IDLE_POLL_MS, database);
    queue.onAnnounced(() => this.nudge());
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    const unstarted = [...this.waiting.values()].flat().map((row) => row.id);
    this.waiting.clear();
    if (unstarted.length) await this.release(unstarted).catch(() => undefined);
    const running = this.attempts.size;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.attempts]).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.config.shutdown.timeoutMs))),
    ]);
    clearTimeout(timer);
    if (running) {
      this.logger.log(
        finished
          ? `${running} deliveries in flight finished before shutdown`
          : `${this.attempts.size} of ${running} deliveries still running after ${this.config.shutdown.timeoutMs} ms; their leases will expire and they will be tried again`,
      );
    }
  }

  protected async tick(): Promise<boolean> {
    await this.renewLeases();
    let claimed = 0;
    const room = 2 * this.config.delivery.concurrency - this.leased.size;
    if (room > 0) claimed = await this.claim(room);
    this.startWaiting();
    // Claimed a full batch: more may be due right away.
    return claimed > 0 && claimed === room;
  }

  /** Leases up to `limit` due deliveries, skipping urls that already have enough here. */
  private async claim(limit: number): Promise<number> {
    const cap = 2 * this.config.delivery.perUrlConcurrency;
    const full = [...this.waiting.keys()].filter((url) => this.held(url) >= cap);
    const [rows] = (await this.dataSource.query(
      `UPDATE integration_deliveries SET state = 'running', locked_until = now() + $3 * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM integration_deliveries
         WHERE ((state = 'pending' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
           AND NOT (url = ANY($2::text[]))
         ORDER BY run_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING id, integration_id, event, message_id, url, payload, attempt`,
      [limit, full, LEASE_MS],
    )) as [ClaimedRow[], number];
    if (rows.length === 0) return 0;
    const overCap: string[] = [];
    for (const row of rows) {
      if (this.held(row.url) >= cap) {
        overCap.push(row.id);
        continue;
      }
      const queue = this.waiting.get(row.url) ?? [];
      queue.push(row);
      this.waiting.set(row.url, queue);
      this.leased.add(row.id);
    }
    if (overCap.length) await this.release(overCap);
    return rows.length;
  }

  /** Deliveries of `url` in this process, waiting or running. */
  private held(url: string): number {
    return (this.waiting.get(url)?.length ?? 0) + (this.runningByUrl.get(url) ?? 0);
  }

  /** Starts waiting deliveries while slots are free, url by url. */
  private startWaiting(): void {
    let total = this.attempts.size;
    for (const [url, queue] of this.waiting) {
      while (queue.length && total < this.config.delivery.concurrency && (this.runningByUrl.get(url) ?? 0) < this.config.delivery.perUrlConcurrency) {
        this.start(queue.shift() as ClaimedRow);
        total += 1;
      }
      if (queue.length === 0) this.waiting.delete(url);
    }
  }

  /** Extends the leases of the deliveries held here, every few seconds. */
  private async renewLeases(): Promise<void> {
    if (this.leased.size === 0 || Date.now() - this.lastRenewal < RENEW_EVERY_MS) return;
    this.lastRenewal = Date.now();
    await this.dataSource.query(
      `UPDATE integration_deliveries SET locked_until = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::bigint[]) AND state = 'running'`,
      [[...this.leased], LEASE_MS],
    );
  }

  /** Hands leased rows back to the queue for anyone to take. */
  private async release(ids: string[]): Promise<void> {
    ids.forEach((id) => this.leased.delete(id));
    await this.dataSource.query(`UPDATE integration_deliveries SET state = 'pending', locked_until = NULL WHERE id = ANY($1::bigint[])`, [ids]);
  }

  private start(row: ClaimedRow): void {
    this.runningByUrl.set(row.url, (this.runningByUrl.get(row.url) ?? 0) + 1);
    const attempt = this.attemptOne(row).finally(() => {
      this.leased.delete(row.id);
      const left = (this.runningByUrl.get(row.url) ?? 1) - 1;
      if (left > 0) this.runningByUrl.set(row.url, left);
      else this.runningByUrl.delete(row.url);
      this.attempts.delete(attempt);
      this.startWaiting();
      // Claim more only once the local backlog runs low: a claim per finished attempt would cost a query each.
      if (this.leased.size <= this.config.delivery.concurrency) this.nudge();
    });
    this.attempts.add(attempt);
  }

  private async attemptOne(row: ClaimedRow): Promise<void> {
    const delivery = Object.assign(new Delivery(), { id: row.id, integrationId: row.integration_id, event: row.event, messageId: row.message_id, url: row.url, payload: row.payload, attempt: row.attempt });
    try {
      // Read as the attempt starts (from memory while unchanged): it may have been disabled while the row waited.
      const outcome = await this.executor.attempt(delivery, await this.integrations.cachedById(row.integration_id));
      this.metrics.delivery('retryInMs' in outcome ? 'retry' : outcome.dropped ? 'dropped' : outcome.failed ? 'failed' : 'delivered');
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
      // The lease stays until it expires: the delivery is taken again then.
      this.logger.error(`delivery ${row.id} to ${row.url} failed unexpectedly: ${(error as Error).message}`);
    }
  }
}
