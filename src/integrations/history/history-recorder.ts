import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { asWithQueries, Change } from '../../core/database/change';
import { RowCounts } from '../../core/database/row-counts';
import { RowCountsFolder } from '../../core/database/row-counts-folder';
import { randomId } from '../../core/ids/random-id';
import { Integration } from '../entities/integration.entity';
import { IntegrationHistory } from '../entities/integration-history.entity';
import { toApiIntegration } from '../integration.mapper';
import { HistoryStep } from './history-steps';
import { deleteOlderThan } from '../../core/database/delete-older-than';

export type HistoryFields = Partial<
  Pick<
    IntegrationHistory,
    | 'data'
    | 'requestHeaders'
    | 'triggerWord'
    | 'ranPrepareScript'
    | 'prepareSentMessage'
    | 'processSentMessage'
    | 'resultMessage'
    | 'finished'
    | 'url'
    | 'httpCallData'
    | 'httpError'
    | 'httpResult'
    | 'error'
    | 'errorStack'
  >
>;

/**
 * One execution's history record (spec §1.4, §5.8), advanced step by step in memory: earlier
 * fields stay. HistoryRecorder.save writes its whole current state.
 */
export class HistoryEntry {
  private readonly state: Partial<IntegrationHistory>;
  private errored = false;

  constructor(opening: Partial<IntegrationHistory> & { id: string; step: HistoryStep }) {
    this.state = { ...opening };
  }

  get id(): string {
    return this.state.id as string;
  }

  step(step: HistoryStep, fields: HistoryFields = {}): void {
    // In place: an attempt takes several steps, and copying the record at each showed in the drain's GC time.
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (this.state as Record<string, unknown>)[key] = value;
    if (fields.error === true) this.errored = true;
    this.state.step = step;
  }

  /** Whether any step so far recorded an error. */
  get failed(): boolean {
    return this.errored;
  }

  /** The record as it stands, stamped now. */
  snapshot(): Partial<IntegrationHistory> {
    return { ...this.state, updatedAt: new Date() };
  }
}

/** History records per integration and day of `_updatedAt`, kept by triggers (migration 1763886000000-list-counts). */
export const HISTORY_COUNTS = new RowCounts({ prefix: 'integration_history', key: 'integration_id' });

/** The owner of `integration_history`: every write to it goes through here. */
@Injectable()
export class HistoryRecorder {
  private readonly columns: { property: string; column: string }[];
  private readonly snapshots = new WeakMap<Integration, Record<string, unknown>>();
  /** The batch upsert: $1 the records, $2 the integration snapshots they share (built once from the entity's columns). */
  private readonly upsert: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly counts: RowCountsFolder,
  ) {
    counts.register(HISTORY_COUNTS);
    this.columns = dataSource.getMetadata(IntegrationHistory).columns.map((c) => ({ property: c.propertyName, column: c.databaseName }));
    const names = this.columns.map((c) => c.column);
    const selected = names.map((name) =>
      name === 'integration'
        ? `$2::jsonb -> ((e.doc ->> 'integration_ref')::int)`
        : name === 'http_call_data'
          ? `CASE WHEN e.doc ? 'call_is_data' THEN r.data ELSE r.http_call_data END`
          : `r.${name}`,
    );
    const updated = names.filter((n) => n !== 'id' && n !== 'created_at').map((n) => `${n} = excluded.${n}`);
    this.upsert = `INSERT INTO integration_history (${names.join(', ')})
      SELECT ${selected.join(', ')}
      FROM jsonb_array_elements($1::jsonb) AS e(doc), LATERAL jsonb_populate_record(NULL::integration_history, e.doc) AS r
      ON CONFLICT (id) DO UPDATE SET ${updated.join(', ')}`;
  }

  /** Opens a record with the integration as it is now (`start-execute-trigger-url`); nothing is written yet. */
  start(integration: Integration, event: string): HistoryEntry {
    return new HistoryEntry({
      id: randomId(),
      type: 'outgoing-webhook',
      integrationId: integration.id,
      integrationCreatedById: integration.createdById,
      integration: this.snapshotOf(integration),
      step: 'start-execute-trigger-url',
      event,
      createdAt: new Date(),
    });
  }

  /**
   * The integration as history records show it. Integrations come from a shared, frozen cache, so
   * the snapshot is made once per version, and records of one batch share it (it is sent once).
   */
  private snapshotOf(integration: Integration): Record<string, unknown> {
    let snapshot = this.snapshots.get(integration);
    if (!snapshot) {
      snapshot = toApiIntegration(integration);
      this.snapshots.set(integration, snapshot);
    }
    return snapshot;
  }

  /**
   * Writes the entries' current state (a record written before is overwritten) and makes
   * `changes` to other tables, all in one statement. Records of a batch mostly share their
   * integration snapshot, and an unscripted request's `httpCallData` is its `data`: each is sent
   * once, not once per record.
   */
  async save(entries: readonly HistoryEntry[], changes: readonly Change[] = []): Promise<void> {
    const latest = new Map(entries.map((e) => [e.id, e]));
    const shared: unknown[] = [];
    const sharedIndex = new Map<unknown, number>();
    const share = (value: unknown): number => {
      let index = sharedIndex.get(value);
      if (index === undefined) {
        index = shared.push(value) - 1;
        sharedIndex.set(value, index);
      }
      return index;
    };
    const rows = [...latest.values()].map((entry) => {
      const snapshot = entry.snapshot() as Record<string, unknown>;
      const row: Record<string, unknown> = {};
      for (const { property, column } of this.columns) {
        const value = snapshot[property];
        if (value === undefined || value === null) continue;
        if (property === 'integration') row.integration_ref = share(value);
        else if (property === 'httpCallData' && value === snapshot.data) row.call_is_data = true;
        else row[column] = value;
      }
      return row;
    });
    const withQueries = asWithQueries(changes, 2);
    const write = rows.length ? this.upsert : `SELECT $1::jsonb IS NULL, $2::jsonb IS NULL`;
    const prefix = withQueries.with.length ? `WITH ${withQueries.with.join(', ')} ` : '';
    await this.dataSource.query(prefix + write, [JSON.stringify(rows), JSON.stringify(shared), ...withQueries.params]);
    if (rows.length) this.counts.noteWrites();
  }

  /** Deletes an integration's whole history (clear-history, and deleting the integration). */
  async deleteFor(integrationId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.delete(IntegrationHistory, { integrationId });
    this.counts.noteWrites();
  }

  /** Deletes up to `limit` records older than `days` days, oldest first; returns how many. */
  async pruneOlderThan(days: number, limit: number): Promise<number> {
    const deleted = await deleteOlderThan(this.dataSource, 'integration_history', days, limit);
    if (deleted) this.counts.noteWrites();
    return deleted;
  }
}
