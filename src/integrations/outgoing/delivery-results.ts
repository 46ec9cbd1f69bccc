import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AutoDisable } from '../auto-disable';
import { WriteBatch } from '../../core/background/write-batch';
import { HistoryEntry, HistoryRecorder } from '../history/history-recorder';
import { AttemptFact } from '../stats/attempt-summary';
import { IntegrationStats } from '../stats/integration-stats';
import { DeliveryQueue, Retry } from './delivery-queue';

/** How a finished attempt leaves the queue: deleted, or due again later. */
export type QueueResult = { done: true } | { retryInMs: number };

interface Result {
  history?: HistoryEntry;
  deliveryId?: string;
  queue?: QueueResult;
  /** The attempt, counted in its integration's health. */
  fact?: AttemptFact;
}

/**
 * Results wait this long for company before they are written (they do not hold up deliveries,
 * only the end of their leases): at a few thousand deliveries a second, a statement per hundred.
 */
const GATHER_MS = 20;
const MAX_BATCH = 1000;

/**
 * Writes what attempts produce — their history records and what becomes of their queue rows —
 * gathered for a few milliseconds (GATHER_MS) into one statement (history upsert, queue delete, queue
 * reschedule together), instead of a few statements per delivery. A result counts once it is
 * written: until then the delivery's lease holds it, and a crash makes the delivery again.
 */
@Injectable()
export class DeliveryResults implements OnApplicationShutdown {
  private readonly logger = new Logger('OutgoingDelivery');
  private readonly batch = new WriteBatch<Result>((results) => this.write(results), GATHER_MS, MAX_BATCH);

  constructor(
    private readonly history: HistoryRecorder,
    private readonly queue: DeliveryQueue,
    private readonly stats: IntegrationStats,
    private readonly autoDisable: AutoDisable,
  ) {}

  /** Records the end of an attempt of `deliveryId` (with its history, if it has one, and what it counts for the integration's health). */
  finish(deliveryId: string, queue: QueueResult, history?: HistoryEntry, fact?: AttemptFact): Promise<void> {
    return this.batch.add({ deliveryId, queue, history, fact });
  }

  /** Writes a history record as it stands, while its attempt goes on (a slow target). */
  show(history: HistoryEntry): Promise<void> {
    return this.batch.add({ history });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batch.flush().catch(() => undefined);
  }

  private async write(results: Result[]): Promise<void> {
    const done: string[] = [];
    const retries: Retry[] = [];
    for (const { deliveryId, queue } of results) {
      if (!deliveryId || !queue) continue;
      if ('done' in queue) done.push(deliveryId);
      else retries.push({ id: deliveryId, inMs: queue.retryInMs });
    }
    const entries = results.flatMap((r) => (r.history ? [r.history] : []));
    const facts = results.flatMap((r) => (r.fact ? [r.fact] : []));
    await this.history.save(entries, [...this.queue.finishChanges(done, retries), ...this.stats.changes(facts)]);
    const failing = [...new Set(facts.filter((f) => !f.ok).map((f) => f.integrationId))];
    if (failing.length) void this.autoDisable.checkFailing(failing);
  }
}
