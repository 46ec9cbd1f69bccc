import { Injectable, Logger } from '@nestjs/common';
import { AT_ONCE, PollingLoop, WHEN_NUDGED } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { CachedLookup } from '../../core/database/cached-lookup';
import { ChangeFeed, EVERYTHING, POLL_WHILE_NOT_LIVE_MS } from '../../core/database/change-feed';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import { DirectWrite, OutboxService, PendingEvent, WRITTEN_WITH_THE_CHANGE } from '../../events/outbox.service';
import { Integration } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { OUTGOING_EVENTS } from '../outgoing-events';
import { DeliveryQueue, NewDelivery, QueuedRow, QueueingChange } from './delivery-queue';
import { DeliveryWorker } from './delivery-worker';
import { ListenedEvents } from './listened-events';
import { outgoingData } from './outgoing-data';
import { eventRoom, roomKeys, sendMessageTrigger } from './trigger-rules';

const BATCH = 200;
/** A busy dispatcher also reads the database this often, for events a dead process left. */
const ORPHAN_CHECK_MS = 30_000;
/** While rounds follow each other, commits are gathered this long after a round ends. */
const GATHER_MS = 10;
/** Events committed here and kept in memory for the dispatcher, at most. */
const MAX_LOCAL = 10 * BATCH;

/**
 * Turns committed domain events into queued deliveries: for each event, the enabled outgoing
 * integrations listening to it (one indexed query: event, then the room's channel keys against
 * the GIN-indexed `channel` column, kept in memory while the integrations are unchanged), trigger
 * words and `runOnEdits` applied, one delivery per url. A round is one statement for the events
 * this process committed (it has them in memory): mark them taken and queue their deliveries;
 * for other processes' events, a read comes first. Deliveries this process's worker has room for
 * are queued leased to it and handed over, without a claim. Every server process dispatches the
 * events it commits; it reads the database for others' at start-up, after a failure, and every
 * ORPHAN_CHECK_MS while busy, and otherwise sleeps.
 */
@Injectable()
export class OutgoingDispatcher extends PollingLoop {
  protected readonly logger = new Logger('OutgoingDispatcher');
  /** Listeners by event and room keys; emptied whenever any integration changes. */
  private readonly listening: CachedLookup<{ integrations: Integration[] }>;
  /** Cancels the pending wake, while one is pending. */
  private gathering?: () => void;
  private lastRoundEnded = 0;
  private lastRead = 0;
  /** Events this process committed, not yet handled. */
  private local: PendingEvent[] = [];
  /** Events may wait in the database that `local` does not hold. */
  private mustRead = true;

  constructor(
    private readonly outbox: OutboxService,
    private readonly deliveries: DeliveryQueue,
    private readonly worker: DeliveryWorker,
    private readonly integrations: IntegrationStore,
    private readonly config: AppConfig,
    private readonly changes: ChangeFeed,
    listened: ListenedEvents,
    database: DatabaseAvailability,
  ) {
    super(database);
    this.listening = new CachedLookup(changes, ['integrations'], 1000);
    outbox.setInterest((event, payload) => {
      const wanted = listened.wants(event);
      return wanted === true && payload ? this.knownToHaveListeners(event, payload) : wanted;
    });
    outbox.setDirectWriter((event, payloads) => this.directDeliveries(event, payloads));
    outbox.onCommitted((events) => {
      // Past a bound, what the database holds is read instead: memory stays flat under a backlog.
      if (this.local.length + events.length > MAX_LOCAL) this.mustRead = true;
      else this.local.push(...events);
      this.wakeSoon();
    });
    changes.onChange((table) => {
      if (table !== 'outbox_events' && table !== EVERYTHING) return;
      this.mustRead = true;
      this.wakeSoon();
    });
  }

  override async onApplicationShutdown(): Promise<void> {
    this.gathering?.();
    await super.onApplicationShutdown();
    // Events this process committed and had not dispatched yet (its last requests) would wait for
    // another process's start-up or busy-time check: queue their deliveries now, for any process.
    const events = this.local.splice(0);
    if (!events.length) return;
    await this.queueDeliveries(events, { forThisProcess: false }).catch((error: Error) =>
      this.logger.warn(`${events.length} events left for another process to dispatch: ${error.message}`),
    );
  }

  /**
   * Wakes the loop for new events. A quiet server goes at once (commits of one turn of the event
   * loop together); a busy one gathers commits for GATHER_MS after its last round, so a round (a
   * statement) carries many events.
   */
  private wakeSoon(): void {
    if (this.gathering) return;
    const wake = () => {
      this.gathering = undefined;
      this.nudge();
    };
    const gather = this.lastRoundEnded + GATHER_MS - Date.now();
    if (gather > 0) {
      const timer = setTimeout(wake, gather);
      this.gathering = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(wake);
      this.gathering = () => clearImmediate(immediate);
    }
  }

  protected async tick(): Promise<number> {
    const events = await this.nextEvents();
    if (events.length) {
      try {
        await this.queueDeliveries(events);
      } catch (error) {
        // The events stay unconsumed in the database: the next round reads them from there.
        this.mustRead = true;
        throw error;
      } finally {
        this.lastRoundEnded = Date.now();
      }
    }
    if (events.length === BATCH || this.local.length) return AT_ONCE;
    return this.changes.live ? WHEN_NUDGED : POLL_WHILE_NOT_LIVE_MS;
  }

  /**
   * The events to handle: those this process committed, straight from memory, while nothing else
   * may be waiting; otherwise what the database holds, which includes this process's own: at
   * start-up, after a failed round, past MAX_LOCAL, and every ORPHAN_CHECK_MS while busy (events
   * a process committed and died before dispatching: nobody is told of them, see the migration
   * WakeDontPoll).
   */
  private async nextEvents(): Promise<PendingEvent[]> {
    if (Date.now() - this.lastRead > ORPHAN_CHECK_MS && this.local.length) this.mustRead = true;
    if (this.mustRead || !this.changes.live) {
      // Set again by a failure before the events are taken: the next round reads again.
      this.mustRead = true;
      this.local = [];
      this.lastRead = Date.now();
      const events = await this.outbox.pending(BATCH);
      this.mustRead = events.length === BATCH;
      return events;
    }
    return this.local.splice(0, BATCH);
  }

  /** Marks `events` taken and queues their deliveries (one statement); hands the worker those leased to it. */
  private async queueDeliveries(events: PendingEvent[], { forThisProcess = true } = {}): Promise<void> {
    const jobs = await this.dispatch(events);
    if (forThisProcess) this.leaseWhatTheWorkerTakes(jobs);
    let change: QueueingChange | undefined;
    const rows = await this.outbox.takeWith(
      events.map((e) => e.id),
      (taken) => (change = this.deliveries.enqueueChange(jobs, `j.event_id IN (SELECT id FROM ${taken})`)),
    );
    if (change) this.handOver(change.queued(rows));
  }

  /** Marks the jobs this process's worker would take at once to be queued leased to it. */
  private leaseWhatTheWorkerTakes(jobs: NewDelivery[]): void {
    const takes = this.worker.wouldTake(jobs);
    jobs.forEach((job, i) => (job.leased = takes[i]));
  }

  /** Hands the worker the queued deliveries leased to it; tells it of the others. */
  private handOver(queued: QueuedRow[]): void {
    const leased = queued.filter((row) => row.leased);
    this.worker.take(leased);
    if (leased.length < queued.length) this.deliveries.announce();
  }

  /** The deliveries `events` make. */
  private async dispatch(events: PendingEvent[]): Promise<NewDelivery[]> {
    const jobs: NewDelivery[] = [];
    // Events of one batch mostly share a room: each distinct listener query runs once per batch.
    const listenersOf = new Map<string, Promise<Integration[]>>();
    for (const event of events) {
      const name = event.event;
      const payload = event.payload as unknown as DomainEventPayloads[DomainEventName];
      jobs.push(...this.deliveriesOf(name, payload, event.createdAt, await this.listeners(name, payload, listenersOf), event.id));
    }
    return jobs;
  }

  /**
   * The deliveries of an event about to be written, when this process knows its listeners (they
   * are cached), to be queued in the statement that writes the change: the payload is written
   * once, as the delivery, and no outbox row, dispatch round or claim stands between the post and
   * its delivery. Undefined when a listener is not known here: the event goes through the outbox.
   */
  private directDeliveries(event: DomainEventName, payloads: DomainEventPayloads[DomainEventName][]): DirectWrite | undefined {
    const now = new Date();
    const jobs: NewDelivery[] = [];
    for (const payload of payloads) {
      const query = listenerQuery(event, payload);
      if (query === null) continue;
      const known = this.listening.peek(query.key);
      if (!known) return undefined;
      jobs.push(...this.deliveriesOf(event, payload, now, known.integrations));
    }
    this.leaseWhatTheWorkerTakes(jobs);
    const change = this.deliveries.enqueueChange(jobs, WRITTEN_WITH_THE_CHANGE);
    return { change, written: (rows) => change && this.handOver(change.queued(rows)) };
  }

  /** The deliveries one event makes for its `listeners`: trigger words applied, one per url. */
  private deliveriesOf(event: DomainEventName, payload: DomainEventPayloads[DomainEventName], occurredAt: Date, listeners: readonly Integration[], eventId?: string): NewDelivery[] {
    const jobs: NewDelivery[] = [];
    const postedBy = this.postingIntegration(event, payload);
    for (const integration of listeners) {
      // An integration's own replies never trigger it again (that would loop forever).
      if (postedBy === integration.id) continue;
      let triggerWord: string | undefined;
      if (event === 'sendMessage') {
        const trigger = sendMessageTrigger(integration, (payload as DomainEventPayloads['sendMessage']).message);
        if (trigger === false) continue;
        triggerWord = trigger;
      }
      const data = { ...outgoingData(event, payload, occurredAt, this.config.rootUrl), ...(triggerWord ? { trigger_word: triggerWord } : {}) };
      const throttled = integration.deliveryRateLimit !== null;
      for (const url of integration.urls ?? []) jobs.push({ eventId, integrationId: integration.id, event, url, payload: data, throttled });
    }
    return jobs;
  }

  /** The integration that posted the event's message, if one did (`bot.i`). */
  private postingIntegration(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): string | undefined {
    if (event !== 'sendMessage' && event !== 'fileUploaded') return undefined;
    const bot = (payload as DomainEventPayloads['sendMessage']).message.bot;
    return typeof bot?.i === 'string' ? bot.i : undefined;
  }

  /**
   * Whether an event with this payload would find a listener, as far as the cache knows: false
   * when its room's listeners were looked up and there are none (the outbox then does not write
   * it), undefined when they have not been looked up yet.
   */
  private knownToHaveListeners(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): boolean | undefined {
    const query = listenerQuery(event, payload);
    if (query === null) return false;
    const hit = this.listening.peek(query.key);
    return hit ? hit.integrations.length > 0 : undefined;
  }

  /** The enabled outgoing integrations for this event and, for channel events, this room (spec §5.2). */
  private listeners(
    event: DomainEventName,
    payload: DomainEventPayloads[DomainEventName],
    memo: Map<string, Promise<Integration[]>>,
  ): Promise<Integration[]> {
    const query = listenerQuery(event, payload);
    if (query === null) return Promise.resolve([]);
    let found = memo.get(query.key);
    if (!found) {
      found = this.listening
        .get(query.key, async () => ({ integrations: await this.integrations.listeningTo(event, query.keys) }))
        .then((hit) => hit?.integrations ?? []);
      memo.set(query.key, found);
    }
    return found;
  }
}

/**
 * What an event's listeners are looked up by: its name and, for channel events, its room's keys
 * (`key` names the lookup in the cache); null for a channel event without a room (nobody listens).
 */
function listenerQuery(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): { key: string; keys?: string[] } | null {
  let keys: string[] | undefined;
  if (OUTGOING_EVENTS[event]?.usesChannel) {
    const located = eventRoom(event, payload);
    if (!located) return null;
    keys = roomKeys(located.room, located.author);
  }
  return { key: `${event} ${JSON.stringify(keys ?? null)}`, keys };
}
