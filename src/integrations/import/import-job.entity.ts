import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportLine } from './rocketchat-import.service';

export type ImportJobState = 'planned' | 'running' | 'done' | 'failed';

/** An import started from the admin UI: planned (a dry run), then run in the background with its progress. */
@Entity('import_jobs')
export class ImportJob {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  /** Only this user sees the job: its documents hold tokens and scripts. */
  @Column({ name: 'created_by_id', type: 'varchar', length: 32 })
  createdById: string;

  /** Where the documents came from, for the page (a server URL or a file name; never a token). */
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'varchar', length: 10 })
  state: ImportJobState;

  /** The source documents until the run has used them. */
  @Column({ type: 'jsonb', nullable: true })
  documents: Record<string, unknown>[] | null;

  @Column({ type: 'int' })
  total: number;

  @Column({ type: 'int', default: 0 })
  done: number;

  /** The dry run's lines. */
  @Column({ type: 'jsonb' })
  plan: ImportLine[];

  /** The run's lines, once it ended. */
  @Column({ type: 'jsonb', nullable: true })
  result: ImportLine[] | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
