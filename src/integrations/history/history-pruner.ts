import { Injectable, Logger } from '@nestjs/common';
import { AT_ONCE, PollingLoop } from '../../core/background/polling-loop';
import { AppConfig } from '../../core/config/app-config';
import { DatabaseAvailability } from '../../core/database/database-availability';
import { IncomingCallLog } from '../incoming/incoming-call-log';
import { IntegrationStats } from '../stats/integration-stats';
import { HistoryRecorder } from './history-recorder';

const EVERY_MS = 60 * 60_000;
const BATCH = 5000;

/**
 * Keeps `HISTORY_RETENTION_DAYS` of outgoing history and of incoming calls (0 keeps everything):
 * older records are deleted a batch at a time, so no statement holds locks for long.
 */
@Injectable()
export class HistoryPruner extends PollingLoop {
  protected readonly logger = new Logger('Retention');

  constructor(
    private readonly history: HistoryRecorder,
    private readonly calls: IncomingCallLog,
    private readonly stats: IntegrationStats,
    private readonly config: AppConfig,
    database: DatabaseAvailability,
  ) {
    super(database);
  }

  protected async tick(): Promise<number> {
    // Health buckets past the 24 hours shown go whatever the retention.
    await this.stats.prune();
    return (await this.pruneBatch()) === BATCH ? AT_ONCE : EVERY_MS;
  }

  /** Deletes up to one batch of records older than the retention; returns how many. */
  async pruneBatch(): Promise<number> {
    const days = this.config.historyRetentionDays;
    if (days === 0) return 0;
    const deleted = await this.history.pruneOlderThan(days, BATCH);
    const calls = await this.calls.pruneOlderThan(days, BATCH);
    if (deleted > 0) this.logger.log(`Deleted ${deleted} history records older than ${days} days`);
    if (calls > 0) this.logger.log(`Deleted ${calls} incoming call records older than ${days} days`);
    return Math.max(deleted, calls);
  }
}
