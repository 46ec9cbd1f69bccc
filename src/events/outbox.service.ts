import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { DomainEventName, DomainEventPayloads } from './domain-events';
import { OutboxEvent } from './entities/outbox-event.entity';

/**
 * The transactional outbox. The chat core records each domain event with the manager of the
 * transaction that makes the change, so the event is committed with it or not at all; consumers
 * (the integrations module) read committed events in order and never lose one to a crash.
 */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record<E extends DomainEventName>(manager: EntityManager, event: E, payload: DomainEventPayloads[E]): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxEvent)
      .values({ event, payload: () => ':payload' })
      .setParameter('payload', JSON.stringify(payload))
      .execute();
  }

  /**
   * Hands up to `limit` unconsumed events, oldest first, to `handler` inside one transaction and
   * marks them consumed in it: what the handler writes commits together with the marking, or
   * neither does. Rows another process is handling are skipped, not waited for. Returns how many
   * events were handled.
   */
  async consume(limit: number, handler: (m: EntityManager, events: OutboxEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const events = await m
        .createQueryBuilder(OutboxEvent, 'e')
        .where('e.consumed_at IS NULL')
        .orderBy('e.id', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (events.length === 0) return 0;
      await handler(m, events);
      await m
        .createQueryBuilder()
        .update(OutboxEvent)
        .set({ consumedAt: () => 'now()' })
        .whereInIds(events.map((e) => e.id))
        .execute();
      return events.length;
    });
  }

  /** Committed events with an id above `afterId`, oldest first. */
  readAfter(afterId: string | number, limit = 100): Promise<OutboxEvent[]> {
    return this.dataSource.manager.find(OutboxEvent, {
      where: { id: MoreThan(String(afterId)) },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
