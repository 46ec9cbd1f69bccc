import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { Page } from '../../core/http/pagination';
import { User } from '../../users/entities/user.entity';
import { Integration } from '../entities/integration.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { ScriptRevisionLog } from '../revisions/script-revision-log';
import { ScriptRevision } from '../revisions/script-revision.entity';
import { DEFAULT_SCRIPT_ENGINE, ScriptCompiler } from '../scripts/script-compiler';
import { IntegrationChanges } from './integration-changes';
import { assertEngine } from './integration-fields';

/** Hookline's own `integrations.revisions` and `integrations.revert`, for whoever may update the integration. */
@Injectable()
export class ScriptRevisions {
  constructor(
    private readonly grantsOf: IntegrationPermissions,
    private readonly revisions: ScriptRevisionLog,
    private readonly scripts: ScriptCompiler,
    private readonly changes: IntegrationChanges,
  ) {}

  /** An integration's script revisions, newest first. */
  async list(caller: User, id: string, page: Page): Promise<[ScriptRevision[], number]> {
    const integration = await this.grantsOf.changeable(caller, id);
    return this.revisions.list(integration.id, page);
  }

  /** Makes an old revision's script current again; that is itself a new revision. */
  async revert(caller: User, id: string, revision: number): Promise<Integration> {
    const integration = await this.grantsOf.changeable(caller, id);
    const old = await this.revisions.find(integration.id, revision);
    if (!old) throw ApiError.meteor('error-invalid-revision', 'Invalid revision', { revision });
    if ((old.script ?? '').trim() !== (integration.script ?? '').trim()) assertEngine(this.scripts, integration.scriptEngine ?? DEFAULT_SCRIPT_ENGINE);
    const restored = { script: old.script, scriptEnabled: old.scriptEnabled, scriptCompiled: old.scriptCompiled, scriptError: old.scriptError };
    return this.changes.save(caller, integration.id, restored, { before: integration, forceRevision: true });
  }
}
