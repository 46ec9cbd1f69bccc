import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { randomId } from '../core/ids/random-id';
import { ROCKET_CAT } from '../users/default-users';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { parseIncomingChannels, parseOutgoingChannels, SCOPED_CHANNELS } from './channels';
import { Integration, IntegrationType, INCOMING, OUTGOING } from './entities/integration.entity';
import { HistoryRecorder } from './history/history-recorder';
import { IntegrationInput } from './integration-input';
import { IntegrationGrants, IntegrationPermissions } from './integration-permissions';
import { IntegrationValidator, ValidOutgoing, isBlank } from './integration-validator';
import { planHeaders } from './secrets/header-rules';
import { planSecrets, SecretChanges } from './secrets/secret-rules';
import { SecretsVault } from './secrets/secrets-vault';
import { ScriptRevisionLog, scriptChanged, scriptStateOf } from './revisions/script-revision-log';
import { ScriptRevision } from './revisions/script-revision.entity';
import { IncomingCallLog } from './incoming/incoming-call-log';
import { IntegrationStats } from './stats/integration-stats';
import { AppConfig } from '../core/config/app-config';
import { DeliveryQueue } from './outgoing/delivery-queue';
import { MessagePoster } from '../messages/message-poster';
import { DisabledIntegration, disableNotice } from './disable-notice';
import { newSigningSecret } from './outgoing/request-signer';
import { DEFAULT_SCRIPT_ENGINE, EngineFrozen, ScriptCompiler } from './scripts/script-compiler';
import { containsPattern } from '../core/database/like-pattern';

/** Rocket.Chat's removeEmpty on insert: '' and null are not stored. */
const kept = <T>(value: T | null | undefined): T | null => (value === '' || value === undefined ? null : value);

/** How long a rotated-out signing secret keeps signing unless the caller says otherwise (a day). */
const DEFAULT_KEEP_OLD_SECONDS = 86_400;

/** Integrations management (spec §2, §3): the rules, in Rocket.Chat's order. */
@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger('Integrations');
  private readonly byId: CachedLookup<Integration>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly grantsOf: IntegrationPermissions,
    private readonly validator: IntegrationValidator,
    private readonly scripts: ScriptCompiler,
    private readonly users: UsersService,
    private readonly history: HistoryRecorder,
    private readonly vault: SecretsVault,
    private readonly revisions: ScriptRevisionLog,
    private readonly calls: IncomingCallLog,
    private readonly stats: IntegrationStats,
    private readonly queue: DeliveryQueue,
    private readonly poster: MessagePoster,
    private readonly config: AppConfig,
    changes: ChangeFeed,
  ) {
    this.byId = new CachedLookup(changes, ['integrations']);
  }

  private get repo() {
    return this.dataSource.getRepository(Integration);
  }

  findById(id: string): Promise<Integration | null> {
    return this.repo.findOneBy({ id });
  }

  /**
   * Like findById, from memory while the integrations are unchanged (read-only: the integration
   * is shared). For the hot paths: hook calls and deliveries.
   */
  cachedById(id: string): Promise<Integration | null> {
    return this.byId.get(id, () => this.findById(id));
  }

  /** The enabled outgoing integrations for `event` and, for channel events, a room with channel keys `keys` (spec §5.2), oldest first. */
  listeningTo(event: string, keys: string[] | undefined): Promise<Integration[]> {
    const query = this.repo
      .createQueryBuilder('i')
      .where(`i.type = '${OUTGOING}' AND i.enabled AND i.event = :event`, { event })
      .orderBy('i.createdAt', 'ASC');
    if (keys) {
      // An empty channel list on a channel event means "all public channels".
      query.andWhere(`(i.channel && :keys::text[] OR (i.channel = '{}' AND :anyPublic))`, { keys, anyPublic: keys.includes('all_public_channels') });
    }
    return query.getMany();
  }

  /** The events some enabled outgoing integration listens to. */
  async listenedEvents(): Promise<string[]> {
    const rows = await this.dataSource.query<{ event: string }[]>(`SELECT DISTINCT event FROM integrations WHERE type = '${OUTGOING}' AND enabled AND event IS NOT NULL`);
    return rows.map((r) => r.event);
  }

  /** Outgoing lookups by `target_url` match any of the integration's urls. */
  findByUrl(url: string): Promise<Integration | null> {
    return this.repo.createQueryBuilder('i').where(':url = ANY(i.urls)', { url }).orderBy('i.createdAt', 'ASC').getOne();
  }
  /** The integration holding this incoming-hook token, if any. */
  findByToken(token: string): Promise<Integration | null> {
    return this.repo.findOneBy({ token });
  }

  /**
   * An imported integration (RocketChatImportService), written as it was: its id, token and
   * creation kept, `_updatedBy` the account that imported it. A new one gets a signing secret
   * (outgoing) and its first script revision; on an existing one a script change is a revision.
   */
  async saveImported(fields: Partial<Integration> & { id: string; type: IntegrationType }, existing: Integration | null, actor: User): Promise<void> {
    if (existing) {
      const { id, createdAt: _createdAt, createdById: _createdById, createdByUsername: _createdByUsername, ...changes } = fields;
      await this.save(actor, id, changes, { before: existing });
      return;
    }
    const imported = { ...fields, signingSecret: fields.type === OUTGOING ? newSigningSecret() : null, updatedAt: new Date(), updatedById: actor.id, updatedByUsername: actor.username };
    await this.insert(actor, imported, planSecrets(undefined, []), fields.type === INCOMING ? fields.userId : undefined);
  }


  // ----- create -----------------------------------------------------------------------------

  /** `integrations.create` (spec §2.1): the type decides which rules apply. */
  create(caller: User, input: IntegrationInput): Promise<Integration> {
    if (input.type === INCOMING) return this.createIncoming(caller, input);
    if (input.type === OUTGOING) return this.createOutgoing(caller, input);
    throw ApiError.failure('Invalid integration type.');
  }

  /** `addIncomingIntegration` (spec §3.1). */
  private async createIncoming(caller: User, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allIncoming && !grants.ownIncoming) throw ApiError.meteor('not_authorized', 'Unauthorized');
    const channel = parseIncomingChannels(input.channel);
    if (isBlank(input.username)) throw ApiError.meteor('error-invalid-username', 'Invalid username');
    const engine = input.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script)) this.assertEngine(engine);
    const user = await this.users.findByExactUsername(input.username as string);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user');
    const compiled = this.validator.compileIfEnabled(input, engine);
    await this.validator.assertTargets(caller, channel, grants.allIncoming && grants.ownIncoming);
    refuseHeaders(input);
    const secrets = planSecrets(input.secrets, []);
    return this.insert(caller, {
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

  /** `addOutgoingIntegration` (spec §3.2). */
  private async createOutgoing(caller: User, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allOutgoing && !grants.ownOutgoing) throw ApiError.meteor('not_authorized');
    const engine = input.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    if (!isBlank(input.script)) this.assertEngine(engine);
    const valid = await this.validator.validateOutgoing(grants, input);
    const secrets = planSecrets(input.secrets, []);
    const headers = planHeaders(input.headers, [], secrets.names);
    return this.insert(caller, {
      type: OUTGOING,
      ...this.outgoingFields(input, valid),
      scriptEngine: engine,
      signingSecret: newSigningSecret(),
    }, secrets, undefined, headers);
  }

  /**
   * Inserts a new integration created by `caller` (an import brings its own id and creator), its
   * secrets and its first script revision, in one transaction.
   */
  private async insert(caller: User, fields: Partial<Integration>, secrets: SecretChanges, botUserId?: string, headers?: SecretChanges): Promise<Integration> {
    const id = fields.id ?? randomId();
    await this.dataSource.transaction(async (m) => {
      // Incoming integrations post as a bot: the post-as user gets the bot role (spec §3.1 step 11).
      if (botUserId) await this.users.addRoles(botUserId, ['bot'], m);
      await m.insert(Integration, {
        createdById: caller.id,
        createdByUsername: caller.username,
        ...fields,
        secretNames: storedNames(secrets),
        headerNames: headers ? storedNames(headers) : null,
        id,
      });
      await this.vault.write(m, id, secrets);
      if (headers) await this.vault.writeHeaders(m, id, headers);
      await this.revisions.record(m, id, scriptStateOf(fields), caller);
    });
    return (await this.findById(id)) as Integration;
  }

  // ----- update -----------------------------------------------------------------------------

  /**
   * `integrations.update` (spec §2.2): an outgoing integration is found by `target_url` (first)
   * or `integrationId`, an incoming one by `integrationId`.
   */
  async update(caller: User, input: IntegrationInput & Record<string, unknown>): Promise<Integration> {
    if (input.type !== OUTGOING && input.type !== INCOMING) throw ApiError.failure('Invalid integration type.');
    const found =
      input.type === OUTGOING
        ? input.target_url
          ? await this.findByUrl(input.target_url)
          : input.integrationId
            ? await this.findById(input.integrationId)
            : null
        : await this.findById(String(input.integrationId));
    if (!found) throw ApiError.failure('No integration found.');
    return input.type === OUTGOING ? this.updateOutgoing(caller, found.id, input) : this.updateIncoming(caller, found.id, input);
  }

  /** `updateIncomingIntegration` (spec §3.3). Nothing is written unless every check passes. */
  private async updateIncoming(caller: User, id: string, input: IntegrationInput & Record<string, unknown>): Promise<Integration> {
    const channel = parseIncomingChannels(input.channel);
    const grants = await this.grantsOf.of(caller);
    const current = await this.findPermitted(grants, id, INCOMING, () => ApiError.meteor('not_authorized', 'Unauthorized'));
    if (!current) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    const engine = input.scriptEngine ?? current.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    const scriptChanged = engine !== current.scriptEngine || (input.script ?? '').trim() !== (current.script ?? '').trim();
    if (!isBlank(input.script) && scriptChanged) this.assertEngine(engine);
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
    return this.save(caller, current.id, changes, { secrets, botUser: postAs, before: current });
  }

  /** `updateOutgoingIntegration` (spec §3.4): a full replacement; omitted optional fields are cleared. */
  private async updateOutgoing(caller: User, id: string, input: IntegrationInput): Promise<Integration> {
    const grants = await this.grantsOf.of(caller);
    const valid = await this.validator.validateOutgoing(grants, input);
    if (isBlank(input.token)) throw ApiError.meteor('error-invalid-token', 'Invalid token');
    const current = await this.findPermitted(grants, id, undefined, () => ApiError.meteor('not_authorized', 'Unauthorized'));
    if (!current) throw ApiError.meteor('invalid_integration', '[methods] updateOutgoingIntegration -> integration not found');
    const engine = input.scriptEngine ?? current.scriptEngine ?? DEFAULT_SCRIPT_ENGINE;
    const scriptChanged = engine !== current.scriptEngine || (input.script ?? '').trim() !== (current.script ?? '').trim();
    if (!isBlank(input.script) && scriptChanged) this.assertEngine(engine);
    const fields = this.outgoingFields(input, valid);
    if (this.scripts.isFrozen(engine)) {
      for (const key of ['script', 'scriptEnabled', 'skipTranspile', 'scriptCompiled', 'scriptError'] as const) delete fields[key];
    }
    const secrets = planSecrets(input.secrets, current.secretNames ?? []);
    const headers = planHeaders(input.headers, current.headerNames ?? [], secrets.names);
    return this.save(caller, current.id, { ...fields, scriptEngine: engine }, { secrets, headers, before: current });
  }

  private outgoingFields(input: IntegrationInput, valid: ValidOutgoing) {
    const fields: Partial<Integration> = {
      name: input.name,
      enabled: input.enabled,
      event: valid.event,
      username: input.username,
      userId: valid.user.id,
      channel: valid.channel,
      urls: valid.urls,
      alias: kept(input.alias),
      avatar: kept(input.avatar),
      emoji: kept(input.emoji),
      token: kept(input.token),
      targetRoom: kept(valid.targetRoom),
      triggerWords: valid.triggerWords,
      triggerWordAnywhere: input.triggerWordAnywhere ?? null,
      impersonateUser: input.impersonateUser ?? null,
      runOnEdits: valid.runOnEdits,
      retryFailedCalls: input.retryFailedCalls ?? null,
      retryCount: valid.retryCount,
      retryDelay: kept(valid.retryDelay),
      // Absent (a Rocket.Chat client knows nothing of it) keeps it; null removes it.
      ...(input.deliveryRateLimit !== undefined ? { deliveryRateLimit: input.deliveryRateLimit } : {}),
      scriptEnabled: input.scriptEnabled,
      script: kept(input.script),
      skipTranspile: input.skipTranspile ?? null,
      scriptCompiled: valid.compiled?.scriptCompiled ?? null,
      scriptError: valid.compiled?.scriptError ?? null,
    };
    return fields;
  }

  /**
   * Hookline's own: turns an integration on or off and changes nothing else (the admin UI's
   * toggle and Re-enable; an update needs every field, and an outgoing one its token). Checked and
   * recorded as an update; enabling resumes held deliveries.
   */
  async setEnabled(caller: User, id: string, enabled: boolean): Promise<Integration> {
    const current = await this.get(caller, id);
    if (current.enabled === enabled) return current;
    return this.save(caller, id, { enabled }, { before: current });
  }

  /**
   * Writes `changes` (and `secrets`) with the caller as `_updatedBy`, all in one transaction. Given
   * the integration as it was (`before`), a change of its script or of whether it runs is kept as
   * a new script revision.
   */
  private async save(
    caller: User,
    id: string,
    changes: Partial<Integration>,
    { secrets, headers, botUser, before, forceRevision = false }: { secrets?: SecretChanges; headers?: SecretChanges; botUser?: User; before?: Integration; forceRevision?: boolean } = {},
  ): Promise<Integration> {
    let resumed = false;
    await this.dataSource.transaction(async (m: EntityManager) => {
      if (botUser) await this.users.addRoles(botUser.id, ['bot'], m);
      if (secrets) await this.vault.write(m, id, secrets);
      if (headers) await this.vault.writeHeaders(m, id, headers);
      await m.update(Integration, { id }, {
        ...changes,
        ...(secrets ? { secretNames: storedNames(secrets) } : {}),
        ...(headers ? { headerNames: storedNames(headers) } : {}),
        updatedAt: new Date(),
        updatedById: caller.id,
        updatedByUsername: caller.username,
      });
      if (before) {
        const after = await m.findOneByOrFail(Integration, { id });
        if (forceRevision || scriptChanged(before, after)) await this.revisions.record(m, id, after, caller);
        if (before.deliveryRateLimit !== after.deliveryRateLimit) await this.queue.restartThrottle(m, id);
        if (before.enabled !== true && after.enabled === true) {
          // Enabled again: held deliveries go (those older than the retention are dropped), and a run of failures starts over.
          await this.queue.resumeFor(m, id, this.config.historyRetentionDays);
          await this.stats.resetRun(m, id);
          resumed = true;
        }
      }
    });
    if (resumed) this.queue.announce();
    return (await this.findById(id)) as Integration;
  }

  /**
   * Turns an integration off on the server's own account (`_updatedBy` is rocket.cat): its target
   * answered 410 Gone, or has failed for too long (auto-disable). `reason` (what happened, for
   * operators) goes to the log at warn; `why` goes to the integration's creator in a direct message
   * from rocket.cat, sent once (by whoever disables it first). Its waiting deliveries are held, not
   * dropped: enabling it again delivers them. Its `_updatedAt` moves like on any change, so a
   * compiled script is compiled afresh if it is enabled again.
   */
  async disable(id: string, reason: string, why: string): Promise<void> {
    const disabled = await this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[DisabledIntegration[], number]>(
        `UPDATE integrations SET enabled = false, updated_at = now(), updated_by_id = $2, updated_by_username = $3 WHERE id = $1 AND enabled
         RETURNING id, name, created_by_id AS "createdById", urls`,
        [id, ROCKET_CAT.id, ROCKET_CAT.username],
      );
      if (rows.length) await this.queue.pauseFor(m, id);
      return rows[0];
    });
    this.logger.warn(`${reason}: the integration is disabled`);
    if (disabled) await this.tellOwner(disabled, why);
  }

  /** The disable notice; a failure to send it is logged, never thrown (the integration is off either way). */
  private async tellOwner(integration: DisabledIntegration, why: string): Promise<void> {
    try {
      const [owner, bot] = await Promise.all([this.users.findById(integration.createdById), this.users.findById(ROCKET_CAT.id)]);
      if (!owner || !bot || owner.id === bot.id) return;
      await this.poster.post(bot, { channel: `@${owner.username}`, text: disableNotice(integration, why) });
    } catch (error) {
      this.logger.warn(`integration ${integration.id}: the disable notice to its creator was not sent: ${(error as Error).message}`);
    }
  }

  /** The integration's signing secret; one made before signing existed gets one now (once, whoever asks first). */
  async ensureSigningSecret(id: string): Promise<string | undefined> {
    const [rows] = await this.dataSource.query<[{ signing_secret: string }[], number]>(
      `UPDATE integrations SET signing_secret = coalesce(signing_secret, $2) WHERE id = $1 RETURNING signing_secret`,
      [id, newSigningSecret()],
    );
    return rows[0]?.signing_secret;
  }

  /**
   * One field checked as a create would check it, for forms that check as you type: the API's
   * message for the channel list or the post-as user, or null when it would pass.
   */
  async checkField(caller: User, type: IntegrationType, field: 'channel' | 'username', value: string): Promise<string | null> {
    try {
      if (field === 'username') return (await this.users.findByExactUsername(value.trim())) ? null : 'Invalid user';
      const grants = await this.grantsOf.of(caller);
      const targets = type === INCOMING ? parseIncomingChannels(value) : parseOutgoingChannels(value);
      const named = targets.filter((t) => !SCOPED_CHANNELS.includes(t.toLowerCase()));
      await this.validator.assertTargets(caller, named, grants.all(type) && grants.own(type));
      return null;
    } catch (error) {
      if (ApiError.is(error)) return error.message;
      throw error;
    }
  }

  // ----- read, list, remove -----------------------------------------------------------------

  /**
   * The integration `id` if the caller may act on it: any with the all-permission of its type,
   * their own with the own-permission. `type` narrows the lookup; none of the two permissions
   * throws `refuse()`.
   */
  private async findPermitted(grants: IntegrationGrants, id: string, type: IntegrationType | undefined, refuse: () => ApiError) {
    const checkType = type ?? OUTGOING;
    if (!grants.all(checkType) && !grants.own(checkType)) throw refuse();
    const query = this.repo.createQueryBuilder('i').where('i.id = :id', { id });
    if (type) query.andWhere('i.type = :type', { type });
    if (!grants.all(checkType)) query.andWhere('i.created_by_id = :me', { me: grants.user.id });
    return query.getOne();
  }

  /** `integrations.get` (spec §2.6): not-found before permission. */
  async get(caller: User, id: string, createdBy?: string): Promise<Integration> {
    const query = this.repo.createQueryBuilder('i').where('i.id = :id', { id });
    if (createdBy !== undefined) query.andWhere('i.created_by_id = :createdBy', { createdBy });
    const integration = await query.getOne();
    if (!integration) throw ApiError.failure('The integration does not exists.');
    if (!(await this.grantsOf.of(caller)).covers(integration)) throw ApiError.failure('not-authorized');
    return integration;
  }

  /** `integrations.list` (spec §2.4). */
  async list(caller: User, filter: { name?: string; type?: string }, page: Page): Promise<[Integration[], number]> {
    const query = this.visibleTo(await this.grantsOf.of(caller));
    if (filter.name) query.andWhere(`i.name ILIKE :name ESCAPE '\\'`, { name: containsPattern(filter.name) });
    if (filter.type) query.andWhere('i.type = :type', { type: filter.type });
    for (const [column, direction] of Object.entries(page.order)) query.addOrderBy(`i.${column}`, direction);
    return query.addOrderBy('i.id', 'DESC').skip(page.offset).take(page.count).getManyAndCount();
  }

  /** Integrations aimed at a room (`channels.getIntegrations`), among those the caller may see. */
  async forRoom(caller: User, keys: string[], page: Page): Promise<[Integration[], number]> {
    return this.visibleTo(await this.grantsOf.of(caller))
      .andWhere('i.channel && :keys::text[]', { keys })
      .orderBy('i.createdAt', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .skip(page.offset)
      .take(page.count)
      .getManyAndCount();
  }

  /** The permission filter of spec §2.4, including Rocket.Chat's mixed-grant quirk. */
  private visibleTo(g: IntegrationGrants): SelectQueryBuilder<Integration> {
    const query = this.repo.createQueryBuilder('i');
    const me = g.user.id;
    if (g.allOutgoing && g.allIncoming) return query;
    if (g.ownOutgoing && g.ownIncoming) return query.where('i.created_by_id = :me', { me });
    const branches: string[] = [];
    if (g.allOutgoing) branches.push(`i.type = '${OUTGOING}'`);
    if (g.allIncoming) branches.push(`i.type = '${INCOMING}'`);
    if (g.ownOutgoing) branches.push(`(i.created_by_id = :me AND i.type = '${OUTGOING}')`);
    if (g.ownIncoming) branches.push(`(i.created_by_id = :me AND i.type = '${INCOMING}')`);
    if (!branches.length) return query.where('false');
    return query.where(new Brackets((b) => b.where(branches.join(' OR '), { me })));
  }

  /**
   * `integrations.remove` (spec §2.7): a type naming webhook-outgoing finds the integration by
   * `target_url` (first) or `integrationId` and applies the outgoing rules; any other type finds
   * it by `integrationId` and applies the incoming ones. Returns what was removed.
   */
  async removeRequested(caller: User, request: { type: string; integrationId?: string; target_url?: string }): Promise<Integration> {
    const outgoing = request.type.includes(OUTGOING);
    if (outgoing && !request.target_url && !request.integrationId) throw ApiError.failure('An integrationId or target_url needs to be provided.');
    const found = outgoing && request.target_url ? await this.findByUrl(request.target_url) : await this.findById(String(request.integrationId));
    if (!found) throw ApiError.failure('No integration found.');
    await this.remove(caller, found, outgoing ? OUTGOING : INCOMING);
    return found;
  }

  /** Deletes with the rules of the integration's own type path (spec §2.7); outgoing takes its history along. */
  private async remove(caller: User, integration: Integration, path: IntegrationType): Promise<void> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.all(path) && !grants.own(path)) throw ApiError.meteor('not_authorized', 'Unauthorized');
    const permitted = grants.all(path) || integration.createdById === caller.id;
    if (!permitted) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    await this.dataSource.transaction(async (m) => {
      if (path === OUTGOING) await this.history.deleteFor(integration.id, m);
      else await this.calls.deleteFor(integration.id, m);
      await this.stats.deleteFor(integration.id, m);
      await m.delete(Integration, { id: integration.id });
    });
  }

  /**
   * A new signing secret for an outgoing integration (the rules of updating it). The old one
   * keeps signing beside it for `keepOldForSeconds`, so receivers can switch without losing a
   * delivery; a rotation during an overlap drops the secret before the old one.
   */
  async rotateSigningSecret(caller: User, id: string, keepOldForSeconds = DEFAULT_KEEP_OLD_SECONDS): Promise<{ signingSecret: string; previousExpiresAt: Date | null }> {
    const integration = await this.findOutgoingFor(caller, id);
    if (!integration || integration.type !== OUTGOING) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    const signingSecret = newSigningSecret();
    const previousExpiresAt = integration.signingSecret && keepOldForSeconds > 0 ? new Date(Date.now() + keepOldForSeconds * 1000) : null;
    await this.save(caller, id, {
      signingSecret,
      previousSigningSecret: previousExpiresAt ? integration.signingSecret : null,
      previousSigningSecretExpiresAt: previousExpiresAt,
    });
    this.logger.log(`integration ${id}: signing secret rotated by ${caller.username}; the old one signs until ${previousExpiresAt?.toISOString() ?? 'now'}`);
    return { signingSecret, previousExpiresAt };
  }

  // ----- script revisions ---------------------------------------------------------------------

  /** An integration's script revisions, newest first, for whoever may update it. */
  async scriptRevisions(caller: User, id: string, page: Page): Promise<[ScriptRevision[], number]> {
    const integration = await this.findForChange(caller, id);
    return this.revisions.list(integration.id, page);
  }

  /** Makes an old revision's script current again; that is itself a new revision. */
  async revertScript(caller: User, id: string, revision: number): Promise<Integration> {
    const integration = await this.findForChange(caller, id);
    const old = await this.revisions.find(integration.id, revision);
    if (!old) throw ApiError.meteor('error-invalid-revision', 'Invalid revision', { revision });
    if ((old.script ?? '').trim() !== (integration.script ?? '').trim()) this.assertEngine(integration.scriptEngine ?? DEFAULT_SCRIPT_ENGINE);
    const restored = { script: old.script, scriptEnabled: old.scriptEnabled, scriptCompiled: old.scriptCompiled, scriptError: old.scriptError };
    return this.save(caller, integration.id, restored, { before: integration, forceRevision: true });
  }

  /** The integration, if the caller may change it (the rules of integrations.update for its type). */
  async findForChange(caller: User, id: string): Promise<Integration> {
    const found = await this.findById(id);
    const grants = await this.grantsOf.of(caller);
    const type = found?.type ?? OUTGOING;
    if (!grants.all(type) && !grants.own(type)) throw ApiError.meteor('not_authorized', 'Unauthorized');
    if (!found || (!grants.all(type) && found.createdById !== caller.id)) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    return found;
  }

  /** Outgoing-integration lookups for clear-history and replay (spec §2.8, §2.9). */
  async findOutgoingFor(caller: User, id: string): Promise<Integration | null> {
    const grants = await this.grantsOf.of(caller);
    if (!grants.allOutgoing && !grants.ownOutgoing) throw ApiError.meteor('not_authorized', 'Unauthorized');
    const query = this.repo.createQueryBuilder('i').where('i.id = :id', { id });
    if (!grants.allOutgoing) query.andWhere('i.created_by_id = :me AND i.event IS NOT NULL', { me: caller.id });
    return query.getOne();
  }

  /**
   * `/hooks/add` (spec §4.1): a Zapier-style subscriber asks for an outgoing sendMessage
   * integration. It is created as the hook's post-as user, so that user's permissions apply.
   */
  async createFromHookSubscription(hook: Integration, body: unknown): Promise<Integration> {
    const request = (typeof body === 'object' && body !== null ? body : {}) as {
      event?: unknown;
      name?: unknown;
      target_url?: unknown;
      data?: { channel_name?: unknown; trigger_words?: unknown; username?: unknown };
    };
    const data = request.data ?? {};
    const prefixed = (sigil: string, value: unknown) => (typeof value === 'string' && value ? (value.startsWith(sigil) ? value : `${sigil}${value}`) : '');
    let channel: string;
    let enabled = true;
    if (request.event === 'newMessageOnChannel') {
      channel = prefixed('#', data.channel_name);
    } else if (request.event === 'newMessageToUser') {
      if (typeof data.username !== 'string' || !data.username) throw ApiError.failure('username-required');
      channel = prefixed('@', data.username);
      enabled = false;
    } else {
      throw ApiError.failure('invalid-event');
    }
    const caller = await this.users.findById(hook.userId);
    if (!caller) throw ApiError.meteor('error-invalid-user', 'Invalid user');
    const triggerWords = typeof data.trigger_words === 'string' ? data.trigger_words.split(',').map((w) => w.trim()) : undefined;
    return this.createOutgoing(caller, {
      type: OUTGOING,
      name: typeof request.name === 'string' ? request.name : 'Zapier',
      enabled,
      event: 'sendMessage',
      username: 'rocket.cat',
      channel,
      urls: typeof request.target_url === 'string' ? [request.target_url] : [],
      triggerWords,
      scriptEnabled: false,
    });
  }

  /** `/hooks/remove` (spec §4.1): removed as the hook's post-as user. */
  async removeAsHook(hook: Integration, integration: Integration): Promise<void> {
    const caller = await this.users.findById(hook.userId);
    if (!caller) throw ApiError.meteor('error-invalid-user', 'Invalid user');
    await this.remove(caller, integration, OUTGOING);
  }

  private assertEngine(engine: string): void {
    try {
      this.scripts.assertEngineAllowed(engine);
    } catch (error) {
      if (error instanceof EngineFrozen) throw ApiError.failure(error.message);
      throw error;
    }
  }
}

/** Own headers are sent by outgoing integrations only; an incoming one with some is refused, not silently stripped. */
function refuseHeaders(input: IntegrationInput): void {
  if (input.headers && Object.keys(input.headers).length) throw ApiError.meteor('error-invalid-header', 'Only outgoing integrations send headers of their own');
}

/** The names a plan leaves, as the integration row keeps them (none: null). */
const storedNames = (changes: SecretChanges): string[] | null => (changes.names.length ? changes.names : null);
