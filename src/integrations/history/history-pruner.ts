import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { DatabaseAvailability } from '../../core/database/database-availability';

const EVERY_MS = 60 * 60_000;
const BATCH = 5000;

/**
 * Keeps `HISTORY_RETENTION_DAYS` of outgoing history (0 keeps everything): older records are
 * deleted a batch at a time, so no statement holds locks for long.
 */
@Injectable()
export class HistoryPruner extends PollingLoop {
  protected readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    database: DatabaseAvailability,
  ) {
    super(EVERY_MS, database);
  }

  protected async tick(): Promise<boolean> {
    return (await this.pruneBatch()) === BATCH;
  }

  /** Deletes up to one batch of records older than the retention; returns how many. */
  async pruneBatch(): Promise<number> {
    const days = this.config.historyRetentionDays;
    if (days === 0) return 0;
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM integration_history WHERE id IN (
         SELECT id FROM integration_history WHERE created_at < now() - make_interval(days => $2) ORDER BY created_at LIMIT $1)`,
      [BATCH, days],
    )) as [unknown, number];
    if (deleted > 0) this.logger.log(`Deleted ${deleted} history records older than ${days} days`);
    return deleted;
  }
}
