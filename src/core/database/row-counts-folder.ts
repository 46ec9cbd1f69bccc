import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AT_ONCE, PollingLoop, WHEN_NUDGED } from '../background/polling-loop';
import { DatabaseAvailability } from './database-availability';
import { FOLD_BATCH, PageStart, RowCounts } from './row-counts';

/** How often deltas are folded while rows are being written. */
const FOLD_EVERY_MS = 2000;
/** A reader that sums more deltas than this for one key asks for a fold (rows written by another process or by SQL). */
const PENDING_DELTAS_FOLD = 500;

/**
 * Folds the count deltas that triggers append into the per-day counts, every few seconds while
 * counted rows are written, so a total sums a few rows per day instead of one per statement.
 * An idle server makes no statement: the loop sleeps until `noteWrites()`.
 */
@Injectable()
export class RowCountsFolder extends PollingLoop {
  protected readonly logger = new Logger('RowCounts');
  private readonly tables: RowCounts[] = [];
  /** True at start: deltas left by an earlier run are folded once. */
  private written = true;
  private idle = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    database: DatabaseAvailability,
  ) {
    super(database);
  }

  register(counts: RowCounts): void {
    this.tables.push(counts);
  }

  /** Where the newest-first page at `offset` starts, and the total (RowCounts.locate). */
  async locate(counts: RowCounts, key: string, offset: number): Promise<PageStart> {
    const start = await counts.locate(this.dataSource.manager, key, offset);
    if (start.pending > PENDING_DELTAS_FOLD) this.noteWrites();
    return start;
  }

  /** Counted rows were added or removed: fold within FOLD_EVERY_MS. */
  noteWrites(): void {
    this.written = true;
    if (this.idle) {
      this.idle = false;
      this.nudge();
    }
  }

  protected async tick(): Promise<number> {
    if (!this.written) {
      this.idle = true;
      return WHEN_NUDGED;
    }
    this.written = false;
    let more = false;
    for (const counts of this.tables) more = (await counts.fold(this.dataSource.manager)) === FOLD_BATCH || more;
    if (more) this.written = true;
    return more ? AT_ONCE : FOLD_EVERY_MS;
  }
}
