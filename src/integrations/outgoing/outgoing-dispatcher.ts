import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import { OutboxEvent } from '../../events/entities/outbox-event.entity';
import { OutboxService } from '../../events/outbox.service';
import { Integration } from '../entities/integration.entity';
import { OUTGOING_EVENTS } from '../outgoing-events';
import { DeliveryQueue } from './delivery-queue';
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

  constructor(
    private readonly outbox: OutboxService,
    private readonly deliveries: DeliveryQueue,
    private readonly config: AppConfig,
  ) {
    super(IDLE_POLL_MS);
  }

  protected async tick(): Promise<boolean> {
    return (await this.outbox.consume(BATCH, (m, events) => this.dispatch(m, events))) === BATCH;
  }

  private async dispatch(m: EntityManager, events: OutboxEvent[]): Promise<void> {
    for (const event of events) {
      const name = event.event as DomainEventName;
      const payload = event.payload as unknown as DomainEventPayloads[DomainEventName];
      const postedBy = this.postingIntegration(name, payload);
      for (const integration of await this.listeners(m, name, payload)) {
        // An integration's own replies never trigger it again (that would loop forever).
        if (postedBy === integration.id) continue;
        let triggerWord: string | undefined;
        if (name === 'sendMessage') {
          const trigger = sendMessageTrigger(integration, (payload as DomainEventPayloads['sendMessage']).message);
          if (trigger === false) continue;
          triggerWord = trigger;
        }
        const data = { ...outgoingData(name, payload, event.createdAt, this.config.rootUrl), ...(triggerWord ? { trigger_word: triggerWord } : {}) };
        for (const url of integration.urls ?? []) {
          await this.deliveries.enqueue({ integrationId: integration.id, event: name, url, payload: data }, m);
        }
      }
    }
  }

  /** The integration that posted the event's message, if one did (`bot.i`). */
  private postingIntegration(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): string | undefined {
    if (event !== 'sendMessage' && event !== 'fileUploaded') return undefined;
    const bot = (payload as DomainEventPayloads['sendMessage']).message.bot;
    return typeof bot?.i === 'string' ? bot.i : undefined;
  }

  /** The enabled outgoing integrations for this event and, for channel events, this room (spec §5.2). */
  private listeners(m: EntityManager, event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): Promise<Integration[]> {
    const query = m
      .createQueryBuilder(Integration, 'i')
      .where(`i.type = 'webhook-outgoing' AND i.enabled AND i.event = :event`, { event })
      .orderBy('i.createdAt', 'ASC');
    if (OUTGOING_EVENTS[event]?.usesChannel) {
      const located = eventRoom(event, payload);
      if (!located) return Promise.resolve([]);
      const keys = roomKeys(located.room, located.author);
      // An empty channel list on a channel event means "all public channels".
      query.andWhere(`(i.channel && :keys::text[] OR (i.channel = '{}' AND :anyPublic))`, { keys, anyPublic: keys.includes('all_public_channels') });
    }
    return query.getMany();
  }
}
