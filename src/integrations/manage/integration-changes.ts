import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../core/config/app-config';
import { randomId } from '../../core/ids/random-id';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { Integration, IntegrationType, INCOMING, OUTGOING } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { DeliveryQueue } from '../outgoing/delivery-queue';
import { newSigningSecret } from '../outgoing/request-signer';
import { ScriptRevisionLog, scriptChanged, scriptStateOf } from '../revisions/script-revision-log';
import { planSecrets, SecretChanges } from '../secrets/secret-rules';
import { SecretsVault } from '../secrets/secrets-vault';
import { IntegrationStats } from '../stats/integration-stats';

/** What a save writes beside the integration's own fields. */
export interface SaveOptions {
  secrets?: SecretChanges;
  headers?: SecretChanges;
  /** The post-as user of an incoming integration, who gets the bot role. */
  botUser?: User;
  /** The integration as it was: a script change becomes a revision, enabling resumes held deliveries. */
  before?: Integration;
  forceRevision?: boolean;
}

/** The names a plan leaves, as the integration row keeps them (none: null). */
const storedNames = (changes: SecretChanges): string[] | null => (changes.names.length ? changes.names : null);

/**
 * Writing a management change of an integration with everything that goes with it — secrets,
 * headers, script revisions, the bot role, held deliveries and the failure run — in one
 * transaction. The use cases decide what to write; this is how.
 */
@Injectable()
export class IntegrationChanges {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: IntegrationStore,
    private readonly users: UsersService,
    private readonly vault: SecretsVault,
    private readonly revisions: ScriptRevisionLog,
    private readonly stats: IntegrationStats,
    private readonly queue: DeliveryQueue,
    private readonly config: AppConfig,
  ) {}

  /**
   * A new integration created by `caller` (an import brings its own id and creator), its secrets
   * and its first script revision.
   */
  async insert(caller: User, fields: Partial<Integration>, secrets: SecretChanges, botUserId?: string, headers?: SecretChanges): Promise<Integration> {
    const id = fields.id ?? randomId();
    await this.dataSource.transaction(async (m) => {
      // Incoming integrations post as a bot: the post-as user gets the bot role (spec §3.1 step 11).
      if (botUserId) await this.users.addRoles(botUserId, ['bot'], m);
      await this.store.insert(m, {
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
    return (await this.store.findById(id)) as Integration;
  }

  /** Writes `changes` with the caller as `_updatedBy`. */
  async save(caller: User, id: string, changes: Partial<Integration>, { secrets, headers, botUser, before, forceRevision = false }: SaveOptions = {}): Promise<Integration> {
    let resumed = false;
    await this.dataSource.transaction(async (m) => {
      if (botUser) await this.users.addRoles(botUser.id, ['bot'], m);
      if (secrets) await this.vault.write(m, id, secrets);
      if (headers) await this.vault.writeHeaders(m, id, headers);
      await this.store.update(m, id, {
        ...changes,
        ...(secrets ? { secretNames: storedNames(secrets) } : {}),
        ...(headers ? { headerNames: storedNames(headers) } : {}),
      }, caller);
      if (!before) return;
      const after = (await this.store.findById(id, m)) as Integration;
      if (forceRevision || scriptChanged(before, after)) await this.revisions.record(m, id, after, caller);
      if (before.deliveryRateLimit !== after.deliveryRateLimit) await this.queue.restartThrottle(m, id);
      if (before.enabled !== true && after.enabled === true) {
        // Enabled again: held deliveries go (those older than the retention are dropped), and a run of failures starts over.
        await this.queue.resumeFor(m, id, this.config.historyRetentionDays);
        await this.stats.resetRun(m, id);
        resumed = true;
      }
    });
    if (resumed) this.queue.announce();
    return (await this.store.findById(id)) as Integration;
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
}
