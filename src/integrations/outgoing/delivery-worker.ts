import { Injectable, Logger } from '@nestjs/common';
import { AT_ONCE, PollingLoop, WHEN_NUDGED } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { ChangeFeed, EVERYTHING, POLL_WHILE_NOT_LIVE_MS } from '../../core/database/change-feed';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { MetricsService } from '../../metrics/metrics.service';
import { IntegrationStore } from '../integration-store';
import { AttemptOutcome, DeliveryExecutor, ProcessStopping } from './delivery-executor';
import { HistoryEntry } from '../history/history-recorder';
import { AttemptFact } from '../stats/attempt-summary';
import { ClaimedDelivery, DeliveryQueue, LEASE_MS, NewDelivery } from './delivery-queue';
import { DeliveryResults } from './delivery-results';

/**
 * A process holds up to this many times DELIVERY_PER_URL_CONCURRENCY deliveries of one url
 * (running and waiting): enough to keep the url's slots busy while the next claim is on its way
 * (claims come at half, so each takes about 8 × the concurrency: on a backlog, 16 instead of 4
 * gave a fifth more deliveries a second), few enough to leave the rest to other processes.
 */
const URL_BUFFER = 16;
/**
 * A process holds at most this many times DELIVERY_CONCURRENCY deliveries in all: four urls
 * at their cap fill it, so slow targets with long queues cannot take all the room a fast one needs.
 */
const HELD_BUFFER = 4;
/** Leases (LEASE_MS) are renewed this often. */
const RENEW_EVERY_MS = 3000;
/**
 * A url this process owns (DeliveryQueue.claim) is taken as its own for this much less than
 * LEASE_MS from when the claim or renewal answered, so a delivery queued leased to it at the
 * end of that time is still committed before another process could take the url.
 */
const OWNERSHIP_MARGIN_MS = 2000;

/**
 * Makes the queued deliveries. Each process leases due rows in batches (a row goes to one
 * process), keeps them in a local queue per url, and renews the leases while they wait or run; a
 * process that dies stops renewing, its leases run out within LEASE_MS, and the rows are taken
 * again (at least once). Up to DELIVERY_CONCURRENCY attempts run at once, at most
 * DELIVERY_PER_URL_CONCURRENCY per url, so a slow or dead target keeps only those busy. A process
 * holds at most HELD_BUFFER times DELIVERY_CONCURRENCY rows, and at most URL_BUFFER times its per-url
 * concurrency of one url. A url is delivered to by one process at a time (its owner: see
 * DeliveryQueue.claim), so DELIVERY_PER_URL_CONCURRENCY holds for the cluster; ownership is renewed
 * with the leases and lapses when the process stops holding the url's deliveries. Deliveries this
 * process's dispatcher queues come to it leased already while it owns their url and has room
 * (`wouldTake`, `take`); the rest are claimed. A throttled delivery (`waitMs`) waits for its send
 * time before it starts. It
 * sleeps until work arrives (this process's dispatcher, or another process's notification), the
 * next retry or lease end is due, or its leases need renewing: an idle server asks the database
 * nothing.
 */
@Injectable()
export class DeliveryWorker extends PollingLoop {
  protected readonly logger = new Logger('DeliveryWorker');
  private readonly waiting = new Map<string, ClaimedDelivery[]>();
  private readonly runningByUrl = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly leased = new Set<string>();
  /** Leased deliveries whose attempt is over and whose result is being written. */
  private readonly finishing = new Set<string>();
  private lastRenewal = 0;
  /** The last round had no room to claim in. */
  private roomless = false;
  /** Something may have become due since the last claim (new work, a finished attempt, start-up). */
  private claimWanted = true;
  /** When the next delivery not yet due at the last claim becomes due. */
  private nextDueAt?: number;
  /** The earliest retry this process scheduled while its last claim ran. */
  private dueDuringClaim?: number;
  /** Urls this process owns, with when (Date.now()) it stops counting on that. */
  private readonly owned = new Map<string, number>();
  /** Urls delivered to since the last renewal: their ownership is renewed with the leases. */
  private readonly usedSinceRenewal = new Set<string>();
  /** Send times (Date.now()) of throttled deliveries waiting here, by id. */
  private readonly sendAt = new Map<string, number>();
  /** The earliest send time among them. */
  private nextSendAt?: number;
  /** Shutting down: deliveries queued from now on are left for any process to claim. */
  private stopping = false;

  constructor(
    private readonly executor: DeliveryExecutor,
    private readonly config: AppConfig,
    private readonly integrations: IntegrationStore,
    private readonly queue: DeliveryQueue,
    private readonly results: DeliveryResults,
    private readonly changes: ChangeFeed,
    database: DatabaseAvailability,
    private readonly metrics: MetricsService,
  ) {
    super(database);
    queue.onAnnounced(() => this.wantClaim());
    changes.onChange((table) => {
      if (table === 'integration_deliveries' || table === EVERYTHING) this.wantClaim();
      // Another process leased deliveries: should it die, they are due when the lease runs out.
      else if (table === 'delivery_leases') this.wakeAt(Date.now() + LEASE_MS);
    });
  }

  override async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
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
    // Its urls are free for the others once nothing of theirs runs here.
    await this.queue.disown().catch(() => undefined);
    this.owned.clear();
    if (running) {
      this.logger.log(
        finished
          ? `${running} deliveries in flight finished before shutdown`
          : `${this.attempts.size} of ${running} deliveries still running after ${this.config.shutdown.timeoutMs} ms; their leases will expire and they will be tried again`,
      );
    }
  }

  /** A delivery will be due at `at` (a retry this process scheduled): sleep no longer than that. */
  private wakeAt(at: number): void {
    this.dueDuringClaim = earliest(this.dueDuringClaim, at);
    this.nextDueAt = earliest(this.nextDueAt, at);
    this.nudge();
  }

  /** Work may be waiting in the queue: claim in the next round. */
  private wantClaim(): void {
    this.claimWanted = true;
    this.nudge();
  }

  protected async tick(): Promise<number> {
    await this.renewLeases();
    // A round woken only to renew leases claims nothing: an idle server asks the database nothing.
    const dueNow = this.nextDueAt !== undefined && Date.now() >= this.nextDueAt;
    if (!this.claimWanted && !dueNow && this.changes.live) {
      this.startWaiting();
      return this.sleepFor();
    }
    this.claimWanted = false;
    const room = this.maxHeld - this.leased.size;
    this.roomless = room <= 0;
    if (room > 0) {
      // A retry written from now on may be too late for the claim to see: it is kept beside the claim's answer.
      this.dueDuringClaim = undefined;
      const claim = await this.queue.claim(room, this.urlCap, this.roomByUrl(), [...this.leased]);
      this.accept(claim.deliveries);
      this.nextDueAt = earliest(claim.nextDueInMs === undefined ? undefined : Date.now() + claim.nextDueInMs, this.dueDuringClaim);
      // A full batch: more may be due right away.
      if (claim.deliveries.length === room) {
        this.claimWanted = true;
        this.startWaiting();
        return AT_ONCE;
      }
    }
    this.startWaiting();
    return this.sleepFor();
  }

  /** Until the next delivery is due, the leases need renewing, or (notifications down) the next look. */
  private sleepFor(): number {
    let ms = this.nextDueAt === undefined ? WHEN_NUDGED : this.nextDueAt - Date.now();
    if (this.leased.size) ms = Math.min(ms, this.lastRenewal + RENEW_EVERY_MS - Date.now());
    if (!this.changes.live) ms = Math.min(ms, POLL_WHILE_NOT_LIVE_MS);
    if (this.nextSendAt !== undefined) ms = Math.min(ms, this.nextSendAt - Date.now());
    return Math.max(ms, 1);
  }

  /** The most deliveries this process holds, waiting, running, or with their results being written. */
  private get maxHeld(): number {
    return HELD_BUFFER * this.config.delivery.concurrency;
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
   * Which of these deliveries, to be queued now, this process would take at once (it owns their
   * url, has room, and the url is under its cap; not throttled ones, whose send times a claim
   * gives): the dispatcher queues those leased to it, saving a claim.
   */
  wouldTake(jobs: Pick<NewDelivery, 'url' | 'throttled'>[]): boolean[] {
    const cap = this.urlCap;
    let room = this.maxHeld - this.leased.size;
    const added = new Map<string, number>();
    const now = Date.now();
    return jobs.map(({ url, throttled }) => {
      const held = this.held(url) + (added.get(url) ?? 0);
      if (this.stopping || throttled || room <= 0 || held >= cap || !((this.owned.get(url) ?? 0) > now)) return false;
      room -= 1;
      added.set(url, (added.get(url) ?? 0) + 1);
      return true;
    });
  }

  /** Takes deliveries the dispatcher queued leased to this process, and starts what it can. */
  take(deliveries: ClaimedDelivery[]): void {
    if (!deliveries.length) return;
    // Leased as the process began to stop: handed back at once for another process.
    if (this.stopping) return void this.handBack(deliveries.map((d) => d.id));
    this.accept(deliveries);
    this.startWaiting();
  }

  /** Queues claimed deliveries locally (their urls are this process's now); those over a url's cap go back at once. */
  private accept(deliveries: ClaimedDelivery[]): void {
    const cap = this.urlCap;
    const overCap: string[] = [];
    const now = Date.now();
    const ownedUntil = now + LEASE_MS - OWNERSHIP_MARGIN_MS;
    for (const delivery of deliveries) {
      this.owned.set(delivery.url, ownedUntil);
      if (this.held(delivery.url) >= cap) {
        overCap.push(delivery.id);
        continue;
      }
      if (typeof delivery.waitMs === 'number') this.sendAt.set(delivery.id, now + delivery.waitMs);
      const queue = this.waiting.get(delivery.url) ?? [];
      queue.push(delivery);
      this.waiting.set(delivery.url, queue);
      this.leased.add(delivery.id);
    }
    if (overCap.length) void this.handBack(overCap);
  }

  /** Releases leased deliveries for any process (this one included) to claim. */
  private async handBack(ids: string[]): Promise<void> {
    await this.queue.release(ids).then(
      () => this.queue.announce(),
      (error: Error) => this.logger.warn(`could not hand deliveries back: ${error.message}`),
    );
  }

  /** Deliveries of `url` in this process, waiting or running. */
  private held(url: string): number {
    return (this.waiting.get(url)?.length ?? 0) + (this.runningByUrl.get(url) ?? 0);
  }

  /** Starts waiting deliveries while slots are free, url by url; throttled ones from their send time. */
  private startWaiting(): void {
    let running = [...this.runningByUrl.values()].reduce((a, b) => a + b, 0);
    const now = Date.now();
    this.nextSendAt = undefined;
    for (const [url, queue] of this.waiting) {
      for (let i = 0; i < queue.length && running < this.config.delivery.concurrency && (this.runningByUrl.get(url) ?? 0) < this.config.delivery.perUrlConcurrency; ) {
        const at = this.sendAt.get(queue[i].id);
        if (at !== undefined && at > now) {
          this.nextSendAt = earliest(this.nextSendAt, at);
          i += 1;
          continue;
        }
        const [delivery] = queue.splice(i, 1);
        this.start(delivery);
        running += 1;
        // Its integration's next send times are reserved by a claim once those held here are used.
        if (at !== undefined && !queue.some((d) => d.integrationId === delivery.integrationId && this.sendAt.has(d.id))) this.wantClaim();
      }
      if (queue.length === 0) this.waiting.delete(url);
    }
  }

  /** Extends the leases of the deliveries held here, and this process's ownership of the urls it delivers to, every few seconds. */
  private async renewLeases(): Promise<void> {
    if (this.leased.size === 0 || Date.now() - this.lastRenewal < RENEW_EVERY_MS) return;
    this.lastRenewal = Date.now();
    const urls = new Set([...this.usedSinceRenewal, ...this.waiting.keys(), ...this.runningByUrl.keys()]);
    this.usedSinceRenewal.clear();
    const kept = await this.queue.renew([...this.leased].filter((id) => !this.finishing.has(id)), [...urls]);
    const ownedUntil = Date.now() + LEASE_MS - OWNERSHIP_MARGIN_MS;
    for (const url of urls) this.owned.delete(url);
    for (const url of kept) this.owned.set(url, ownedUntil);
  }

  /** Runs one attempt: its slot is free once the target has answered; its lease is kept until the result is written. */
  private start(delivery: ClaimedDelivery): void {
    this.sendAt.delete(delivery.id);
    this.usedSinceRenewal.add(delivery.url);
    this.runningByUrl.set(delivery.url, (this.runningByUrl.get(delivery.url) ?? 0) + 1);
    const work = (async () => {
      const { written } = await this.attemptOne(delivery);
      // Its lease is no longer renewed (the result's write takes the row; renewing it too could deadlock with that write).
      this.finishing.add(delivery.id);
      const left = (this.runningByUrl.get(delivery.url) ?? 1) - 1;
      if (left > 0) this.runningByUrl.set(delivery.url, left);
      else this.runningByUrl.delete(delivery.url);
      this.startWaiting();
      // Claim more of this url once half of what it may hold is gone (not after every attempt: a claim costs a statement).
      if (this.held(delivery.url) <= this.urlCap / 2) this.wantClaim();
      await written;
    })().finally(() => {
      this.leased.delete(delivery.id);
      this.finishing.delete(delivery.id);
      this.attempts.delete(work);
      // A round found no room (leases waiting for their results count against it): with room again, claim.
      if (this.roomless && this.leased.size < this.maxHeld) this.wantClaim();
    });
    this.attempts.add(work);
  }

  /** Makes the attempt; returns (wrapped, so it is not awaited here) the writing of its result. */
  private async attemptOne(delivery: ClaimedDelivery): Promise<{ written: Promise<void> }> {
    const failed = (error: Error) => this.logger.error(`delivery ${delivery.id} to ${delivery.url} failed unexpectedly: ${error.message}`);
    // The result could not be written: the row stays leased until the lease runs out, and is made again then.
    const unwritten = (error: Error) => {
      failed(error);
      this.wakeAt(Date.now() + LEASE_MS);
    };
    try {
      // Read as the attempt starts (from memory while unchanged): it may have been disabled while the row waited.
      const attempt = await this.executor.attempt(delivery, await this.integrations.cachedById(delivery.integrationId));
      if ('broken' in attempt && attempt.broken instanceof ProcessStopping) {
        // Handed back at once: another process makes it now (the same row, so the same webhook-id).
        this.logger.log(`delivery ${delivery.id}: ${attempt.broken.message}; handed back`);
        this.leased.delete(delivery.id);
        return { written: this.handBack([delivery.id]) };
      }
      if ('broken' in attempt) {
        // The lease stays until it runs out: the delivery is made again then.
        failed(attempt.broken);
        this.leased.delete(delivery.id);
        this.wakeAt(Date.now() + LEASE_MS);
        return { written: this.results.show(attempt.history).catch(failed) };
      }
      const { outcome } = attempt;
      this.metrics.delivery('retryInMs' in outcome ? (outcome.paused ? 'paused' : 'retry') : outcome.dropped ? 'dropped' : outcome.failed ? 'failed' : 'delivered');
      const fact = healthFact(delivery.integrationId, outcome, attempt.history);
      if (!('retryInMs' in outcome)) return { written: this.results.finish(delivery.id, { done: true }, attempt.history, fact).catch(unwritten) };
      const written = this.results.finish(delivery.id, { retryInMs: outcome.retryInMs }, attempt.history, fact).then(() => {
        // No longer ours once written: the next claim must see it as any other process's row.
        this.leased.delete(delivery.id);
        // A paused delivery is due only when its integration is enabled again (which announces it).
        if (!outcome.paused) this.wakeAt(Date.now() + outcome.retryInMs);
      }, unwritten);
      return { written };
    } catch (error) {
      failed(error as Error);
      return { written: Promise.resolve() };
    }
  }
}

/** What an attempt counts for its integration's health; nothing for one dropped before it started. */
function healthFact(integrationId: string, outcome: AttemptOutcome, history: HistoryEntry | undefined): AttemptFact | undefined {
  if (('dropped' in outcome && outcome.dropped) || ('paused' in outcome && outcome.paused)) return undefined;
  const ok = !('retryInMs' in outcome) && !outcome.failed && !outcome.failure && !history?.failed;
  return { integrationId, at: new Date(), ok, ...(ok ? {} : { failure: outcome.failure ?? 'the script or the request failed (see the history)' }) };
}

/** The earlier of two times, either of which may be unknown. */
function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
