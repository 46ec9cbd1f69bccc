import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { Change, shiftParams } from '../core/database/change';
import { PreparedStatements } from '../core/database/prepared-statements';
import { DomainEventName, DomainEventPayloads } from './domain-events';

/** The events a transaction recorded, kept on its query runner until its commit hands them to the consumers. */
const RECORDED = 'outboxRecorded';

interface RecordedRow {
  id: string;
  created_at: Date;
}

/**
 * A consumer's rows for events about to be written, made in the same statement as the change
 * (its `change` runs only if the change wrote something: see WRITTEN_WITH_THE_CHANGE);
 * `written` gets the rows it returned, once committed.
 */
export interface DirectWrite {
  change: Change | undefined;
  written(rows: unknown[]): void;
}

/** The condition a DirectWrite's statement must hold to: the change it goes with wrote something. */
export const WRITTEN_WITH_THE_CHANGE = 'EXISTS (SELECT 1 FROM change)';

/**
 * Whether a consumer wants an event (asked first by name alone, then with its payload); undefined
 * when that is not known (yet).
 */
export type Interest = (event: DomainEventName, payload?: DomainEventPayloads[DomainEventName]) => boolean | undefined;

/** An unconsumed event as `pending()` reads it. */
export interface PendingEvent {
  id: string;
  event: DomainEventName;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The transactional outbox. The chat core records each domain event with the manager of the
 * transaction that makes the change, so the event is committed with it or not at all; consumers
 * (the integrations module) read committed events in order and never lose one to a crash. An
 * event no consumer wants is not written at all (its payload is not even built): nothing reads
 * it, and on the hot path of posting its row cost more than the message itself. An event the
 * consumer can handle at once (it knows who listens) is not written either: the consumer's own
 * rows go into the change's statement instead (`setDirectWriter`).
 */
@Injectable()
export class OutboxService implements EntitySubscriberInterface {
  private readonly listeners = new Set<(events: PendingEvent[]) => void>();
  private interest: Interest = () => undefined;
  private direct: (event: DomainEventName, payloads: DomainEventPayloads[DomainEventName][]) => DirectWrite | undefined = () => undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly prepared: PreparedStatements,
  ) {
    dataSource.subscribers.push(this);
  }

  /** Tells the outbox which events its consumer wants (the integrations module: those some integration listens to). */
  setInterest(interest: Interest): void {
    this.interest = interest;
  }

  /** Records `event` in `manager`'s transaction, if a consumer wants it; `payload` is built only then. */
  async record<E extends DomainEventName>(manager: EntityManager, event: E, payload: () => DomainEventPayloads[E]): Promise<void> {
    await this.write(manager, undefined, event, [payload]);
  }

  /**
   * Makes `change` and records the event in one statement: atomic without a transaction, and one
   * round trip to the database instead of four (BEGIN, write, insert, COMMIT). Without a consumer
   * for the event, the statement is `change` alone.
   */
  async recordWith<E extends DomainEventName>(manager: EntityManager, change: Change, event: E, payload: () => DomainEventPayloads[E]): Promise<void> {
    await this.write(manager, change, event, [payload]);
  }

  /**
   * Makes `change`, which writes several rows at once, and records one event per payload that a
   * consumer wants, in one statement outside any transaction (posts that came together). The
   * events' ids follow the payloads' order.
   */
  async recordEachWith<E extends DomainEventName>(change: Change, event: E, payloads: (() => DomainEventPayloads[E])[]): Promise<void> {
    await this.write(this.dataSource.manager, change, event, payloads);
  }

  /**
   * One statement: `change` (if any), and an outbox row per wanted payload, in the payloads' order,
   * written only if `change` wrote something. Without a wanted payload, `change` alone.
   */
  private async write<E extends DomainEventName>(manager: EntityManager, change: Change | undefined, event: E, payloads: (() => DomainEventPayloads[E])[]): Promise<void> {
    const wanted = this.wants(event) ? payloads.map((payload) => payload()).filter((value) => this.wantsThis(event, value)) : [];
    const direct = wanted.length && change && !manager.queryRunner?.isTransactionActive ? this.direct(event, wanted) : undefined;
    if (direct?.change && change) {
      const rows = await this.prepared.query(
        manager,
        `WITH change AS (${change.sql} RETURNING 1) ${shiftParams(direct.change.sql, change.params.length)}`,
        [...change.params, ...direct.change.params],
      );
      direct.written(rows);
      return;
    }
    if (!wanted.length || direct) {
      if (change) await this.prepared.query(manager, change.sql, change.params);
      return;
    }
    const jsons = wanted.map((value) => JSON.stringify(value));
    const n = change?.params.length ?? 0;
    const insert = `INSERT INTO outbox_events (event, payload)
       SELECT $${n + 1}, e.payload FROM unnest($${n + 2}::jsonb[]) WITH ORDINALITY AS e (payload, i)
       ${change ? 'WHERE EXISTS (SELECT 1 FROM change)' : ''} ORDER BY e.i
       RETURNING id, created_at`;
    const rows = await this.prepared.query<RecordedRow>(
      manager,
      change ? `WITH change AS (${change.sql} RETURNING 1) ${insert}` : insert,
      [...(change?.params ?? []), event, jsons],
    );
    const inOrder = [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    this.afterWrite(
      manager,
      inOrder.map((row, i) => ({ id: String(row.id), event, payload: JSON.parse(jsons[i]) as Record<string, unknown>, createdAt: row.created_at })),
    );
  }

  /** Whether a consumer wants `event`. Unknown interest counts as wanted: an unwanted event costs a wake, a lost one a delivery. */
  private wants(event: DomainEventName): boolean {
    return this.interest(event) !== false;
  }

  /** Whether a consumer wants this very event (for instance, whether anyone listens in its room). */
  private wantsThis<E extends DomainEventName>(event: E, payload: DomainEventPayloads[E]): boolean {
    return this.interest(event, payload) !== false;
  }

  /**
   * Lets the consumer handle events itself in the statement that makes their change, when it can
   * there and then (`write` returns undefined when it cannot: the events are recorded here). Only
   * for changes made outside a transaction, where the statement commits as it ends.
   */
  setDirectWriter(write: (event: DomainEventName, payloads: DomainEventPayloads[DomainEventName][]) => DirectWrite | undefined): void {
    this.direct = write;
  }

  /** Calls `listener` with the events this process records, once they are committed. */
  onCommitted(listener: (events: PendingEvent[]) => void): void {
    this.listeners.add(listener);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const events = event.queryRunner.data?.[RECORDED] as PendingEvent[] | undefined;
    if (!events) return;
    delete event.queryRunner.data[RECORDED];
    this.notify(events);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.data) delete event.queryRunner.data[RECORDED];
  }

  /** Inside a transaction the news waits for its commit; outside one the statement has committed. */
  private afterWrite(manager: EntityManager, events: PendingEvent[]): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      const waiting = (runner.data?.[RECORDED] as PendingEvent[] | undefined) ?? [];
      runner.data = { ...(runner.data ?? {}), [RECORDED]: [...waiting, ...events] };
    } else {
      this.notify(events);
    }
  }

  private notify(events: PendingEvent[]): void {
    for (const listener of this.listeners) listener(events);
  }

  /** Deletes up to `limit` events consumed longer than `olderThan` (a PostgreSQL interval) ago, oldest first; returns how many. */
  async deleteConsumed(limit: number, olderThan: string): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE consumed_at < now() - $2::interval ORDER BY consumed_at LIMIT $1)`,
      [limit, olderThan],
    );
    return deleted;
  }

  /** Up to `limit` unconsumed events, oldest first, read without locking: `takeWith` decides who handles them. */
  async pending(limit: number): Promise<PendingEvent[]> {
    const rows = await this.dataSource.query<{ id: string; event: DomainEventName; payload: Record<string, unknown>; created_at: Date }[]>(
      `SELECT id, event, payload, created_at FROM outbox_events WHERE consumed_at IS NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, event: r.event, payload: r.payload, createdAt: r.created_at }));
  }

  /**
   * Marks the events `ids` consumed and makes the consumer's change, in one statement: both commit
   * or neither. `changeFor(taken)` gets the name of a relation holding the `id`s this statement
   * marked (an event another process took first is not among them) and must write only for those,
   * so every event is handled exactly once. Returns the rows the change returns.
   */
  async takeWith<R>(ids: string[], changeFor: (taken: string) => Change | undefined): Promise<R[]> {
    const change = changeFor('taken');
    const main = change ? shiftParams(change.sql, 1) : `SELECT id FROM taken`;
    return await this.dataSource.query<R[]>(
      `WITH taken AS (UPDATE outbox_events SET consumed_at = now() WHERE id = ANY($1::bigint[]) AND consumed_at IS NULL RETURNING id) ${main}`,
      [ids, ...(change?.params ?? [])],
    );
  }
}
