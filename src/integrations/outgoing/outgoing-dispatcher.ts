import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { CachedLookup } from '../../core/database/cached-lookup';
import { ChangeFeed } from '../../core/database/change-feed';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import { OutboxEvent } from '../../events/entities/outbox-event.entity';
import { OutboxService } from '../../events/outbox.service';
import { Integration } from '../entities/integration.entity';
import { OUTGOING_EVENTS } from '../outgoing-events';
import { DeliveryQueue, NewDelivery } from './delivery-queue';
import { outgoingData } from './outgoing-data';
import { eventRoom, roomKeys, sendMessageTrigger } from './trigger-rules';

/** How long the dispatcher sleeps when the outbox is empty. */
const IDLE_POLL_MS = 50;
const BATCH = 200;

/**
 * Turns committed domain events into queued deliveries: for each event, the enabled outgoing
 * integrations listening to it (one indexed query: event, then the room's channel keys against
 * the GIN-indexed `channel` column), trigger words and `runOnEdits` applied, one delivery per url.
 * Runs in every server process; the outbox hands each event to exactly one of them.
 */
@Injectable()
export class OutgoingDispatcher extends PollingLoop {
  protected readonly logger = new Logger('OutgoingDispatcher');
  /** Listeners by event and room keys; emptied whenever any integration changes. */
  private readonly listening: CachedLookup<{ integrations: Integration[] }>;

  constructor(
    private readonly outbox: OutboxService,
    private readonly deliveries: DeliveryQueue,
    private readonly config: AppConfig,
    changes: ChangeFeed,
    database: DatabaseAvailability,
  ) {
    super(IDLE_POLL_MS, database);
    this.listening = new CachedLookup(changes, ['integrations'], 1000);
    outbox.onCommitted(() => this.nudge());
  }

  protected async tick(): Promise<boolean> {
    let queued = 0;
    const handled = await this.outbox.consume(BATCH, async (m, events) => {
      queued = await this.dispatch(m, events);
    });
    if (queued > 0) this.deliveries.announce();
    return handled === BATCH;
  }

  /** Queues the deliveries for `events` in the consuming transaction; returns how many. */
  private async dispatch(m: EntityManager, events: OutboxEvent[]): Promise<number> {
    const jobs: NewDelivery[] = [];
    // Events of one batch mostly share a room: each distinct listener query runs once per batch.
    const listenersOf = new Map<string, Promise<Integration[]>>();
    for (const event of events) {
      const name = event.event as DomainEventName;
      const payload = event.payload as unknown as DomainEventPayloads[DomainEventName];
      const postedBy = this.postingIntegration(name, payload);
      for (const integration of await this.listeners(m, name, payload, listenersOf)) {
        // An integration's own replies never trigger it again (that would loop forever).
        if (postedBy === integration.id) continue;
        let triggerWord: string | undefined;
        if (name === 'sendMessage') {
          const trigger = sendMessageTrigger(integration, (payload as DomainEventPayloads['sendMessage']).message);
          if (trigger === false) continue;
          triggerWord = trigger;
        }
        const data = { ...outgoingData(name, payload, event.createdAt, this.config.rootUrl), ...(triggerWord ? { trigger_word: triggerWord } : {}) };
        for (const url of integration.urls ?? []) jobs.push({ integrationId: integration.id, event: name, url, payload: data });
      }
    }
    await this.deliveries.enqueue(jobs, m);
    return jobs.length;
  }

  /** The integration that posted the event's message, if one did (`bot.i`). */
  private postingIntegration(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): string | undefined {
    if (event !== 'sendMessage' && event !== 'fileUploaded') return undefined;
    const bot = (payload as DomainEventPayloads['sendMessage']).message.bot;
    return typeof bot?.i === 'string' ? bot.i : undefined;
  }

  /** The enabled outgoing integrations for this event and, for channel events, this room (spec §5.2). */
  private listeners(
    m: EntityManager,
    event: DomainEventName,
    payload: DomainEventPayloads[DomainEventName],
    memo: Map<string, Promise<Integration[]>>,
  ): Promise<Integration[]> {
    let keys: string[] | undefined;
    if (OUTGOING_EVENTS[event]?.usesChannel) {
      const located = eventRoom(event, payload);
      if (!located) return Promise.resolve([]);
      keys = roomKeys(located.room, located.author);
    }
    const memoKey = `${event} ${JSON.stringify(keys ?? null)}`;
    let found = memo.get(memoKey);
    if (!found) {
      found = this.listening
        .get(memoKey, async () => ({ integrations: await this.queryListeners(m, event, keys) }))
        .then((hit) => hit?.integrations ?? []);
      memo.set(memoKey, found);
    }
    return found;
  }

  private queryListeners(m: EntityManager, event: DomainEventName, keys: string[] | undefined): Promise<Integration[]> {
    const query = m
      .createQueryBuilder(Integration, 'i')
      .where(`i.type = 'webhook-outgoing' AND i.enabled AND i.event = :event`, { event })
      .orderBy('i.createdAt', 'ASC');
    if (keys) {
      // An empty channel list on a channel event means "all public channels".
      query.andWhere(`(i.channel && :keys::text[] OR (i.channel = '{}' AND :anyPublic))`, { keys, anyPublic: keys.includes('all_public_channels') });
    }
    return query.getMany();
  }
}
