import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../../core/http/pagination';
import { User } from '../../users/entities/user.entity';
import { Integration } from '../entities/integration.entity';
import { ScriptRevision } from './script-revision.entity';

/** The fields a revision keeps. */
export type ScriptState = Pick<Integration, 'script' | 'scriptEnabled' | 'scriptCompiled' | 'scriptError'>;

/** The revision-kept fields of a new integration's fields (absent ones as they are stored). */
export function scriptStateOf(fields: Partial<ScriptState>): ScriptState {
  return { script: fields.script ?? null, scriptEnabled: fields.scriptEnabled === true, scriptCompiled: fields.scriptCompiled ?? null, scriptError: fields.scriptError ?? null };
}

/** Whether `after` differs from `before` in what a revision records (the script or whether it runs). */
export function scriptChanged(before: ScriptState | undefined, after: ScriptState): boolean {
  return !before || (before.script ?? null) !== (after.script ?? null) || before.scriptEnabled !== after.scriptEnabled;
}

/** The owner of `integration_script_revisions`. */
@Injectable()
export class ScriptRevisionLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds the next revision of the integration, inside the caller's transaction. */
  async record(m: EntityManager, integrationId: string, state: ScriptState, author: User): Promise<void> {
    await m.query(
      `INSERT INTO integration_script_revisions (integration_id, revision, script, script_enabled, script_compiled, script_error, created_by_id, created_by_username)
       SELECT $1::varchar, coalesce(max(revision), 0) + 1, $2, $3, $4, $5::jsonb, $6, $7 FROM integration_script_revisions WHERE integration_id = $1::varchar`,
      [integrationId, state.script ?? null, state.scriptEnabled === true, state.scriptCompiled ?? null, state.scriptError ? JSON.stringify(state.scriptError) : null, author.id, author.username],
    );
  }

  /** Newest first. */
  list(integrationId: string, page: Page): Promise<[ScriptRevision[], number]> {
    return this.dataSource.manager.findAndCount(ScriptRevision, { where: { integrationId }, order: { revision: 'DESC' }, skip: page.offset, take: page.count });
  }

  find(integrationId: string, revision: number): Promise<ScriptRevision | null> {
    return this.dataSource.manager.findOneBy(ScriptRevision, { integrationId, revision });
  }
}
