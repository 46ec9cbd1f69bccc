import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { randomId } from '../../core/ids/random-id';
import { Integration } from '../entities/integration.entity';
import { IntegrationHistory } from '../entities/integration-history.entity';
import { toApiIntegration } from '../integration.mapper';

export type HistoryFields = Partial<
  Pick<
    IntegrationHistory,
    | 'data'
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

type Pending = QueryDeepPartialEntity<IntegrationHistory>;

/**
 * One execution's history record (spec §1.4, §5.8), advanced step by step: earlier fields stay.
 * Steps gather in memory and reach the database on `save()`: when the attempt ends, and, for an
 * attempt still waiting on its target after a moment (`saveIfStillRunning`), while it waits, so
 * the history shows where a slow attempt stands. A quick attempt costs one write instead of one
 * per step.
 */
export class HistoryEntry {
  private pending: Pending = {};
  private inserted = false;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    readonly id: string,
    private readonly opening: Partial<IntegrationHistory>,
  ) {}

  private errored = false;

  step(step: string, fields: HistoryFields = {}): void {
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    if (fields.error === true) this.errored = true;
    this.pending = { ...this.pending, ...set, step };
  }

  /** Whether any step so far recorded an error. */
  get failed(): boolean {
    return this.errored;
  }

  /** Writes what changed; saves run one after another. */
  save(): Promise<void> {
    this.saving = this.saving.then(() => this.write());
    return this.saving;
  }

  /** Saves in `ms` unless the returned function is called first. */
  saveIfStillRunning(ms: number): () => void {
    const timer = setTimeout(() => void this.save().catch(() => undefined), ms);
    return () => clearTimeout(timer);
  }

  private async write(): Promise<void> {
    if (this.inserted && Object.keys(this.pending).length === 0) return;
    const changes = { ...this.pending, updatedAt: new Date() } as Pending;
    this.pending = {};
    if (!this.inserted) {
      await this.dataSource.manager.insert(IntegrationHistory, { ...this.opening, ...changes } as Pending);
      this.inserted = true;
    } else {
      await this.dataSource.manager.update(IntegrationHistory, { id: this.id }, changes);
    }
  }
}

@Injectable()
export class HistoryRecorder {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Opens a record with the integration as it is now (`start-execute-trigger-url`); nothing is written yet. */
  start(integration: Integration, event: string): HistoryEntry {
    const id = randomId();
    return new HistoryEntry(this.dataSource, id, {
      id,
      type: 'outgoing-webhook',
      integrationId: integration.id,
      integrationCreatedById: integration.createdById,
      integration: toApiIntegration(integration),
      step: 'start-execute-trigger-url',
      event,
    });
  }
}
