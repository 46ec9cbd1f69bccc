import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AT_ONCE, PollingLoop } from '../core/background/polling-loop';
import { DatabaseAvailability } from '../core/database/database-availability';

const EVERY_MS = 10 * 60_000;
const BATCH = 5000;
/** Consumed events are kept this long (for looking into what just happened), then deleted. */
const KEEP_CONSUMED = '1 hour';

/** Deletes consumed outbox events, a batch at a time, so no statement holds locks for long. */
@Injectable()
export class OutboxPruner extends PollingLoop {
  protected readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    database: DatabaseAvailability,
  ) {
    super(database);
  }

  protected async tick(): Promise<number> {
    return (await this.pruneBatch()) === BATCH ? AT_ONCE : EVERY_MS;
  }

  /** Deletes up to one batch of events consumed more than an hour ago; returns how many. */
  async pruneBatch(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE consumed_at < now() - $2::interval ORDER BY consumed_at LIMIT $1)`,
      [BATCH, KEEP_CONSUMED],
    );
    return deleted;
  }
}
