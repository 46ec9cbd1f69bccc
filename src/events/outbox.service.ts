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

  /** Committed events with an id above `afterId`, oldest first. */
  readAfter(afterId: string | number, limit = 100): Promise<OutboxEvent[]> {
    return this.dataSource.manager.find(OutboxEvent, {
      where: { id: MoreThan(String(afterId)) },
      order: { id: 'ASC' },
      take: limit,
    });
  }
}
