import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { parseIncomingChannels } from '../channels';
import { Integration, INCOMING, OUTGOING } from '../entities/integration.entity';
import { IntegrationInput } from '../integration-input';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationStore } from '../integration-store';
import { IntegrationValidator, isBlank } from '../integration-validator';
import { DEFAULT_SCRIPT_ENGINE, ScriptCompiler } from '../scripts/script-compiler';
import { planHeaders } from '../secrets/header-rules';
import { planSecrets } from '../secrets/secret-rules';
import { IntegrationChanges } from './integration-changes';
import { assertEngine, outgoingFields, refuseHeaders, scriptEdited } from './integration-fields';

/** `integrations.update` (spec §2.2, §3.3, §3.4), and the admin UI's enable toggle. Nothing is written unless every check passes. */
@Injectable()
export class UpdateIntegration {
  constructor(
    private readonly store: IntegrationStore,
    private readonly grantsOf: IntegrationPermissions,
    private readonly validator: IntegrationValidator,
    private readonly scripts: ScriptCompiler,
    private readonly users: UsersService,
    private readonly changes: IntegrationChanges,
  ) {}

  /** An outgoing integration is found by `target_url` (first) or `integrationId`, an incoming one by `integrationId`. */
  async update(caller: User, input: IntegrationInput & Record<string, unknown>): Promise<Integration> {
    if (input.type !== OUTGOING && input.type !== INCOMING) throw ApiError.failure('Invalid integration type.');
    const found =
      input.type === OUTGOING
        ? input.target_url
          ? await this.store.findByUrl(input.target_url)
          : input.integrationId
            ? await this.store.findById(input.integrationId)
            : null
        : await this.store.findById(String(input.integrationId));
    if (!found) throw ApiError.failure('No integration found.');
    return input.type === OUTGOING ? this.outgoing(caller, found.id, input) : this.incoming(caller, found.id, input);
  }

  /**
   * Hookline's own: turns an integration on or off and changes nothing else (the admin UI's
   * toggle and Re-enable; an update needs every field, and an outgoing one its token). Checked and
   * recorded as an update; enabling resumes held deliveries.
   */
  async setEnabled(caller: User, id: string, enabled: boolean): Promise<Integration> {
    const current = await this.grantsOf.readable(caller, id);
    if (current.enabled === enabled) return current;
    return this.changes.save(caller, id, { enabled }, { before: current });
  }

  /** `updateIncomingIntegration` (spec §3.3). */
  private async incoming(caller: User, id: string, input: IntegrationInput & Record<string, unknown>): Promise<Integration> {
    const channel = parseIncomingChannels(input.channel);
    const grants = await this.grantsOf.of(caller);
    const current = await this.grantsOf.updatable(grants, id, INCOMING);
    if (!current) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    const engine = input.scriptEngine ?? current.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script) && scriptEdited(current, engine, input.script)) assertEngine(this.scripts, engine);
    const frozen = this.scripts.isFrozen(engine);
    const compiled = this.validator.compileIfEnabled(input, engine);
    await this.validator.assertTargets(caller, channel, grants.allIncoming && grants.ownIncoming);
    const hasUsername = Object.prototype.hasOwnProperty.call(input, 'username');
    const postAs = await this.users.findByExactUsername(String(hasUsername ? input.username : current.username));
    if (!postAs) throw ApiError.meteor('error-invalid-post-as-user', 'Invalid Post As User');
    refuseHeaders(input);
    const secrets = planSecrets(input.secrets, current.secretNames ?? []);

    const changes: Partial<Integration> = {
      enabled: input.enabled,
      name: input.name,
      channel,
      ...(input.avatar !== undefined ? { avatar: input.avatar } : {}),
      ...(input.emoji !== undefined ? { emoji: input.emoji } : {}),
      ...(input.alias !== undefined ? { alias: input.alias } : {}),
      ...(hasUsername ? { username: postAs.username, userId: postAs.id } : {}),
      ...(input.overrideDestinationChannelEnabled != null ? { overrideDestinationChannelEnabled: input.overrideDestinationChannelEnabled } : {}),
      ...(input.hookHistory !== undefined ? { hookHistory: input.hookHistory } : {}),
      ...(frozen
        ? {}
        : {
            ...(input.script !== undefined ? { script: input.script } : {}),
            scriptEnabled: input.scriptEnabled,
            scriptEngine: engine,
            ...(input.skipTranspile !== undefined ? { skipTranspile: input.skipTranspile } : {}),
            ...(compiled ?? {}),
          }),
    };
    return this.changes.save(caller, current.id, changes, { secrets, botUser: postAs, before: current });
  }

  /** `updateOutgoingIntegration` (spec §3.4): a full replacement; omitted optional fields are cleared. */
  private async outgoing(caller: User, id: string, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    const valid = await this.validator.validateOutgoing(grants, input);
    if (isBlank(input.token)) throw ApiError.meteor('error-invalid-token', 'Invalid token');
    const current = await this.grantsOf.updatable(grants, id);
    if (!current) throw ApiError.meteor('invalid_integration', '[methods] updateOutgoingIntegration -> integration not found');
    const engine = input.scriptEngine ?? current.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script) && scriptEdited(current, engine, input.script)) assertEngine(this.scripts, engine);
    const fields = outgoingFields(input, valid);
    if (this.scripts.isFrozen(engine)) {
      for (const key of ['script', 'scriptEnabled', 'skipTranspile', 'scriptCompiled', 'scriptError'] as const) delete fields[key];
    }
    const secrets = planSecrets(input.secrets, current.secretNames ?? []);
    const headers = planHeaders(input.headers, current.headerNames ?? [], secrets.names);
    return this.changes.save(caller, current.id, { ...fields, scriptEngine: engine }, { secrets, headers, before: current });
  }
}
