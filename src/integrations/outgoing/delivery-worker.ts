import { Injectable, Logger } from '@nestjs/common';
import { AT_ONCE, PollingLoop, WHEN_NUDGED } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { ChangeFeed, EVERYTHING } from '../../core/database/change-feed';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { MetricsService } from '../../metrics/metrics.service';
import { IntegrationsService } from '../integrations.service';
import { DeliveryExecutor } from './delivery-executor';
import { ClaimedDelivery, DeliveryQueue, LEASE_MS } from './delivery-queue';
import { DeliveryResults } from './delivery-results';

/**
 * A process holds up to this many times DELIVERY_PER_URL_CONCURRENCY deliveries of one url
 * (running and waiting): enough to keep the url's slots busy while the next claim is on its way,
 * few enough to leave the rest to other processes.
 */
const URL_BUFFER = 4;
/** Leases (LEASE_MS) are renewed this often. */
const RENEW_EVERY_MS = 3000;
/** While change notifications are down, other processes' work is looked for this often. */
const POLL_WITHOUT_NOTIFICATIONS_MS = 1000;

/**
 * Makes the queued deliveries. Each process leases due rows in batches (a row goes to one
 * process), keeps them in a local queue per url, and renews the leases while they wait or run; a
 * process that dies stops renewing, its leases run out within LEASE_MS, and the rows are taken
 * again (at least once). Up to DELIVERY_CONCURRENCY attempts run at once, at most
 * DELIVERY_PER_URL_CONCURRENCY per url, so a slow or dead target keeps only those busy. A process
 * holds at most twice DELIVERY_CONCURRENCY rows, and at most URL_BUFFER times its per-url
 * concurrency of one url, so others get the rest. Deliveries this process's dispatcher queues come to it leased already while it has
 * room (`wouldTake`, `take`); the rest are claimed. It sleeps until work arrives (this process's dispatcher, or another process's
 * notification), the next retry or lease end is due, or its leases need renewing: an idle server
 * asks the database nothing.
 */
@Injectable()
export class DeliveryWorker extends PollingLoop {
  protected readonly logger = new Logger('DeliveryWorker');
  private readonly waiting = new Map<string, ClaimedDelivery[]>();
  private readonly runningByUrl = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly leased = new Set<string>();
  private lastRenewal = 0;

  constructor(
    private readonly executor: DeliveryExecutor,
    private readonly config: AppConfig,
    private readonly integrations: IntegrationsService,
    private readonly queue: DeliveryQueue,
    private readonly results: DeliveryResults,
    private readonly changes: ChangeFeed,
    database: DatabaseAvailability,
    private readonly metrics: MetricsService,
  ) {
    super(database);
    queue.onAnnounced(() => this.nudge());
    changes.onChange((table) => {
      if (table === 'integration_deliveries' || table === EVERYTHING) this.nudge();
    });
  }

  override async onApplicationShutdown(): Promise<void> {
    await super.onApplicationShutdown();
    const unstarted = [...this.waiting.values()].flat().map((d) => d.id);
    this.waiting.clear();
    unstarted.forEach((id) => this.leased.delete(id));
    await this.queue.release(unstarted).catch(() => undefined);
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

  protected async tick(): Promise<number> {
    await this.renewLeases();
    const room = 2 * this.config.delivery.concurrency - this.leased.size;
    let nextDueInMs: number | undefined;
    if (room > 0) {
      const claim = await this.queue.claim(room, this.urlCap, this.roomByUrl());
      this.accept(claim.deliveries);
      // A full batch: more may be due right away.
      if (claim.deliveries.length === room) {
        this.startWaiting();
        return AT_ONCE;
      }
      nextDueInMs = claim.nextDueInMs;
    }
    this.startWaiting();
    return this.sleepFor(nextDueInMs);
  }

  /** Until the next delivery is due, the leases need renewing, or (notifications down) the next look. */
  private sleepFor(nextDueInMs: number | undefined): number {
    let ms = nextDueInMs ?? WHEN_NUDGED;
    if (this.leased.size) ms = Math.min(ms, this.lastRenewal + RENEW_EVERY_MS - Date.now());
    if (!this.changes.live) ms = Math.min(ms, POLL_WITHOUT_NOTIFICATIONS_MS);
    return Math.max(ms, 1);
  }

  /** The most deliveries of one url this process holds, waiting or running. */
  private get urlCap(): number {
    return URL_BUFFER * this.config.delivery.perUrlConcurrency;
  }

  /** How many more deliveries of each url held here this process takes. */
  private roomByUrl(): Record<string, number> {
    const room: Record<string, number> = {};
    for (const url of new Set([...this.waiting.keys(), ...this.runningByUrl.keys()])) room[url] = Math.max(0, this.urlCap - this.held(url));
    return room;
  }

  /**
   * Which of these deliveries, to be queued now, this process would take at once (it has room,
   * and their url is under its cap): the dispatcher queues those leased to it, saving a claim.
   */
  wouldTake(urls: string[]): boolean[] {
    const cap = this.urlCap;
    let room = 2 * this.config.delivery.concurrency - this.leased.size;
    const added = new Map<string, number>();
    return urls.map((url) => {
      const held = this.held(url) + (added.get(url) ?? 0);
      if (room <= 0 || held >= cap) return false;
      room -= 1;
      added.set(url, (added.get(url) ?? 0) + 1);
      return true;
    });
  }

  /** Takes deliveries the dispatcher queued leased to this process, and starts what it can. */
  take(deliveries: ClaimedDelivery[]): void {
    if (!deliveries.length) return;
    this.accept(deliveries);
    this.startWaiting();
  }

  /** Queues claimed deliveries locally; those over a url's cap go back at once. */
  private accept(deliveries: ClaimedDelivery[]): void {
    const cap = this.urlCap;
    const overCap: string[] = [];
    for (const delivery of deliveries) {
      if (this.held(delivery.url) >= cap) {
        overCap.push(delivery.id);
        continue;
      }
      const queue = this.waiting.get(delivery.url) ?? [];
      queue.push(delivery);
      this.waiting.set(delivery.url, queue);
      this.leased.add(delivery.id);
    }
    if (overCap.length) void this.queue.release(overCap).catch((error: Error) => this.logger.warn(`could not hand deliveries back: ${error.message}`));
  }

  /** Deliveries of `url` in this process, waiting or running. */
  private held(url: string): number {
    return (this.waiting.get(url)?.length ?? 0) + (this.runningByUrl.get(url) ?? 0);
  }

  /** Starts waiting deliveries while slots are free, url by url. */
  private startWaiting(): void {
    let running = [...this.runningByUrl.values()].reduce((a, b) => a + b, 0);
    for (const [url, queue] of this.waiting) {
      while (queue.length && running < this.config.delivery.concurrency && (this.runningByUrl.get(url) ?? 0) < this.config.delivery.perUrlConcurrency) {
        this.start(queue.shift() as ClaimedDelivery);
        running += 1;
      }
      if (queue.length === 0) this.waiting.delete(url);
    }
  }

  /** Extends the leases of the deliveries held here, every few seconds. */
  private async renewLeases(): Promise<void> {
    if (this.leased.size === 0 || Date.now() - this.lastRenewal < RENEW_EVERY_MS) return;
    this.lastRenewal = Date.now();
    await this.queue.renew([...this.leased]);
  }

  /** Runs one attempt: its slot is free once the target has answered; its lease is kept until the result is written. */
  private start(delivery: ClaimedDelivery): void {
    this.runningByUrl.set(delivery.url, (this.runningByUrl.get(delivery.url) ?? 0) + 1);
    const work = (async () => {
      const { written } = await this.attemptOne(delivery);
      const left = (this.runningByUrl.get(delivery.url) ?? 1) - 1;
      if (left > 0) this.runningByUrl.set(delivery.url, left);
      else this.runningByUrl.delete(delivery.url);
      this.startWaiting();
      // Claim more of this url once half of what it may hold is gone (not after every attempt: a claim costs a statement).
      if (this.held(delivery.url) <= this.urlCap / 2) this.nudge();
      await written;
    })().finally(() => {
      this.leased.delete(delivery.id);
      this.attempts.delete(work);
    });
    this.attempts.add(work);
  }

  /** Makes the attempt; returns (wrapped, so it is not awaited here) the writing of its result. */
  private async attemptOne(delivery: ClaimedDelivery): Promise<{ written: Promise<void> }> {
    const failed = (error: Error) => this.logger.error(`delivery ${delivery.id} to ${delivery.url} failed unexpectedly: ${error.message}`);
    try {
      // Read as the attempt starts (from memory while unchanged): it may have been disabled while the row waited.
      const attempt = await this.executor.attempt(delivery, await this.integrations.cachedById(delivery.integrationId));
      if ('broken' in attempt) {
        // The lease stays until it runs out: the delivery is made again then.
        failed(attempt.broken);
        return { written: this.results.show(attempt.history).catch(failed) };
      }
      const { outcome } = attempt;
      this.metrics.delivery('retryInMs' in outcome ? 'retry' : outcome.dropped ? 'dropped' : outcome.failed ? 'failed' : 'delivered');
      const queued = 'retryInMs' in outcome ? { retryInMs: outcome.retryInMs } : { done: true as const };
      return { written: this.results.finish(delivery.id, queued, attempt.history).catch(failed) };
    } catch (error) {
      failed(error as Error);
      return { written: Promise.resolve() };
    }
  }
}
