import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, MoreThan, TransactionCommitEvent } from 'typeorm';
import { DomainEventName, DomainEventPayloads } from './domain-events';
import { OutboxEvent } from './entities/outbox-event.entity';

/** A write to make in the same statement as an event's record: SQL without a trailing `;`. */
export interface Change {
  sql: string;
  params: unknown[];
}

/** Set on a transaction's query runner once it has recorded an event, so its commit wakes consumers. */
const RECORDED = 'outboxRecorded';

/**
 * The transactional outbox. The chat core records each domain event with the manager of the
 * transaction that makes the change, so the event is committed with it or not at all; consumers
 * (the integrations module) read committed events in order and never lose one to a crash.
 */
@Injectable()
export class OutboxService implements EntitySubscriberInterface {
  private readonly listeners = new Set<() => void>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  async record<E extends DomainEventName>(manager: EntityManager, event: E, payload: DomainEventPayloads[E]): Promise<void> {
    await manager.query(`INSERT INTO outbox_events (event, payload) VALUES ($1, $2::jsonb)`, [event, JSON.stringify(payload)]);
    this.afterWrite(manager);
  }

  /**
   * Makes `change` and records the event in one statement: atomic without a transaction, and one
   * round trip to the database instead of four (BEGIN, write, insert, COMMIT).
   */
  async recordWith<E extends DomainEventName>(manager: EntityManager, change: Change, event: E, payload: DomainEventPayloads[E]): Promise<void> {
    const n = change.params.length;
    await manager.query(
      `WITH change AS (${change.sql} RETURNING 1) INSERT INTO outbox_events (event, payload) SELECT $${n + 1}, $${n + 2}::jsonb FROM change`,
      [...change.params, event, JSON.stringify(payload)],
    );
    this.afterWrite(manager);
  }

  /** Calls `listener` whenever recorded events have been committed by this process. */
  onCommitted(listener: () => void): void {
    this.listeners.add(listener);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.data?.[RECORDED]) return;
    delete event.queryRunner.data[RECORDED];
    this.notify();
  }

  /** Inside a transaction the news waits for its commit; outside one the statement has committed. */
  private afterWrite(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      runner.data = { ...(runner.data ?? {}), [RECORDED]: true };
    } else {
      this.notify();
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Hands up to `limit` unconsumed events, oldest first, to `handler` inside one transaction and
   * marks them consumed in it: what the handler writes commits together with the marking, or
   * neither does. Rows another process is handling are skipped, not waited for. Returns how many
   * events were handled.
   */
  async consume(limit: number, handler: (m: EntityManager, events: OutboxEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      // Taking the rows and marking them is one statement: the marking commits with the handler's writes or not at all.
      const [rows] = (await m.query(
        `UPDATE outbox_events SET consumed_at = now()
         WHERE id IN (SELECT id FROM outbox_events WHERE consumed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, event, payload, created_at, consumed_at`,
        [limit],
      )) as [{ id: string; event: DomainEventName; payload: Record<string, unknown>; created_at: Date; consumed_at: Date }[], number];
      if (rows.length === 0) return 0;
      const events = rows
        .map((r) => Object.assign(new OutboxEvent(), { id: r.id, event: r.event, payload: r.payload, createdAt: r.created_at, consumedAt: r.consumed_at }))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      await handler(m, events);
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
