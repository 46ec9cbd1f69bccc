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

/** One execution's history record, advanced step by step (spec §1.4, §5.8): earlier fields stay. */
export class HistoryEntry {
  constructor(
    private readonly dataSource: DataSource,
    readonly id: string,
  ) {}

  async step(step: string, fields: HistoryFields = {}): Promise<void> {
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    await this.dataSource.manager.update(IntegrationHistory, { id: this.id }, { ...set, step, updatedAt: new Date() } as QueryDeepPartialEntity<IntegrationHistory>);
  }
}

@Injectable()
export class HistoryRecorder {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Opens a record with the integration as it is now (`start-execute-trigger-url`). */
  async start(integration: Integration, event: string): Promise<HistoryEntry> {
    const id = randomId();
    const row: Partial<IntegrationHistory> = {
      id,
      type: 'outgoing-webhook',
      integrationId: integration.id,
      integrationCreatedById: integration.createdById,
      integration: toApiIntegration(integration),
      step: 'start-execute-trigger-url',
      event,
    };
    await this.dataSource.manager.insert(IntegrationHistory, row as QueryDeepPartialEntity<IntegrationHistory>);
    return new HistoryEntry(this.dataSource, id);
  }
}
