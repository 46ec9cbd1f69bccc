import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { randomId } from '../../core/ids/random-id';
import { User } from '../../users/entities/user.entity';
import { ImportJob } from './import-job.entity';
import type { ImportLine } from './rocketchat-import.service';
import type { SourceDocument } from './rocketchat-source';

/** Jobs are kept this long after they were last touched, then deleted with the next new job. */
const KEPT_FOR_MS = 24 * 3_600_000;

/** The owner of `import_jobs`: the admin UI's imports, from plan to outcome. */
@Injectable()
export class ImportJobs {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async plan(owner: User, source: string, documents: SourceDocument[], plan: ImportLine[]): Promise<string> {
    await this.dataSource.manager.delete(ImportJob, { updatedAt: LessThan(new Date(Date.now() - KEPT_FOR_MS)) });
    const id = randomId();
    await this.dataSource.manager.insert(ImportJob, { id, createdById: owner.id, source, state: 'planned', documents, total: documents.length, done: 0, plan } as QueryDeepPartialEntity<ImportJob>);
    return id;
  }

  /** The job, for its owner only (anyone else: as if it did not exist). */
  async find(owner: User, id: string): Promise<ImportJob | null> {
    return this.dataSource.manager.findOneBy(ImportJob, { id, createdById: owner.id });
  }

  /** Planned → running, once: a second Apply (a double click, a re-sent form) gets nothing to run. */
  async start(owner: User, id: string): Promise<SourceDocument[] | null> {
    const rows = await this.dataSource.query<[{ documents: SourceDocument[] }[], number]>(
      `UPDATE import_jobs SET state = 'running', updated_at = now() WHERE id = $1 AND created_by_id = $2 AND state = 'planned' RETURNING documents`,
      [id, owner.id],
    );
    return rows[0]?.[0]?.documents ?? null;
  }

  async progress(id: string, done: number): Promise<void> {
    await this.dataSource.manager.update(ImportJob, { id }, { done, updatedAt: new Date() });
  }

  /** The outcome; the documents (tokens, scripts) are not kept past the run. */
  async finish(id: string, result: ImportLine[]): Promise<void> {
    await this.dataSource.manager.update(ImportJob, { id }, { state: 'done', result, documents: null, done: result.length, updatedAt: new Date() });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource.manager.update(ImportJob, { id }, { state: 'failed', error, documents: null, updatedAt: new Date() });
  }
}
