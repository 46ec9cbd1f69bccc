import { Injectable, Logger } from '@nestjs/common';
import { AT_ONCE, PollingLoop } from '../core/background/polling-loop';
import { DatabaseAvailability } from '../core/database/database-availability';
import { OutboxService } from './outbox.service';

const EVERY_MS = 10 * 60_000;
const BATCH = 5000;
/** Consumed events are kept this long (for looking into what just happened), then deleted. */
const KEEP_CONSUMED = '1 hour';

/** Deletes consumed outbox events, a batch at a time, so no statement holds locks for long. */
@Injectable()
export class OutboxPruner extends PollingLoop {
  protected readonly logger = new Logger('Retention');

  constructor(
    private readonly outbox: OutboxService,
    database: DatabaseAvailability,
  ) {
    super(database);
  }

  protected async tick(): Promise<number> {
    return (await this.pruneBatch()) === BATCH ? AT_ONCE : EVERY_MS;
  }

  /** Deletes up to one batch of events consumed more than an hour ago; returns how many. */
  pruneBatch(): Promise<number> {
    return this.outbox.deleteConsumed(BATCH, KEEP_CONSUMED);
  }
}
