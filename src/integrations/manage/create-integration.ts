import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { randomId } from '../../core/ids/random-id';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { parseIncomingChannels } from '../channels';
import { Integration, INCOMING, OUTGOING } from '../entities/integration.entity';
import { IntegrationInput } from '../integration-input';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationValidator, isBlank } from '../integration-validator';
import { newSigningSecret } from '../outgoing/request-signer';
import { DEFAULT_SCRIPT_ENGINE, ScriptCompiler } from '../scripts/script-compiler';
import { planHeaders } from '../secrets/header-rules';
import { planSecrets } from '../secrets/secret-rules';
import { IntegrationChanges } from './integration-changes';
import { assertEngine, kept, outgoingFields, refuseHeaders } from './integration-fields';

/** `integrations.create` (spec §2.1, §3.1, §3.2): the rules, in Rocket.Chat's order. */
@Injectable()
export class CreateIntegration {
  constructor(
    private readonly grantsOf: IntegrationPermissions,
    private readonly validator: IntegrationValidator,
    private readonly scripts: ScriptCompiler,
    private readonly users: UsersService,
    private readonly changes: IntegrationChanges,
  ) {}

  /** The type decides which rules apply. */
  async create(caller: User, input: IntegrationInput): Promise<Integration> {
    if (input.type === INCOMING) return this.incoming(caller, input);
    if (input.type === OUTGOING) return this.outgoing(caller, input);
    throw ApiError.failure('Invalid integration type.');
  }

  /** `addIncomingIntegration` (spec §3.1). */
  private async incoming(caller: User, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allIncoming && !grants.ownIncoming) throw ApiError.meteor('not_authorized', 'Unauthorized');
    const channel = parseIncomingChannels(input.channel);
    if (isBlank(input.username)) throw ApiError.meteor('error-invalid-username', 'Invalid username');
    const engine = input.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script)) assertEngine(this.scripts, engine);
    const user = await this.users.findByExactUsername(input.username as string);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user');
    const compiled = this.validator.compileIfEnabled(input, engine);
    await this.validator.assertTargets(caller, channel, grants.allIncoming && grants.ownIncoming);
    refuseHeaders(input);
    const secrets = planSecrets(input.secrets, []);
    return this.changes.insert(caller, {
      type: INCOMING,
      name: input.name,
      enabled: input.enabled,
      username: input.username,
      userId: user.id,
      channel,
      alias: kept(input.alias),
      avatar: kept(input.avatar),
      emoji: kept(input.emoji),
      scriptEnabled: input.scriptEnabled,
      script: kept(input.script),
      scriptEngine: engine,
      skipTranspile: input.skipTranspile ?? null,
      scriptCompiled: compiled?.scriptCompiled ?? null,
      scriptError: compiled?.scriptError ?? null,
      overrideDestinationChannelEnabled: input.overrideDestinationChannelEnabled ?? false,
      hookHistory: input.hookHistory ?? null,
      token: randomId(48),
    }, secrets, user.id);
  }

  /** `addOutgoingIntegration` (spec §3.2); also a Zapier-style hook subscription, as its post-as user. */
  async outgoing(caller: User, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allOutgoing && !grants.ownOutgoing) throw ApiError.meteor('not_authorized');
    const engine = input.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script)) assertEngine(this.scripts, engine);
    const valid = await this.validator.validateOutgoing(grants, input);
    const secrets = planSecrets(input.secrets, []);
    const headers = planHeaders(input.headers, [], secrets.names);
    return this.changes.insert(caller, { type: OUTGOING, ...outgoingFields(input, valid), scriptEngine: engine, signingSecret: newSigningSecret() }, secrets, undefined, headers);
  }
}
