import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const INCOMING = 'webhook-incoming';
export const OUTGOING = 'webhook-outgoing';
export type IntegrationType = typeof INCOMING | typeof OUTGOING;
export type HookHistoryMode = 'all' | 'errors' | 'off';
/** Why the server turned an integration off: its target answered 410 Gone, or failed for too long. */
export type DisabledReason = 'gone' | 'failures';

export interface ScriptError {
  name: string;
  message: string;
  stack: string;
}

/**
 * An incoming or outgoing webhook. A null column is a field the Rocket.Chat document does not
 * have (Rocket.Chat drops empty values on insert and unset ones on update); '' is kept as ''.
 */
@Entity('integrations')
@Index('integrations_event_enabled_idx', ['event', 'enabled'])
@Index('integrations_created_at_idx', { synchronize: false })
export class Integration {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id: string;

  @Index('integrations_type_idx')
  @Column({ type: 'varchar', length: 20 })
  type: IntegrationType;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  /** The post-as user. */
  @Column({ type: 'text' })
  username: string;

  @Column({ name: 'user_id', type: 'varchar', length: 32 })
  userId: string;

  @Index('integrations_channel_gin', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  channel: string[];

  @Column({ type: 'text', nullable: true })
  alias: string | null;

  @Column({ type: 'text', nullable: true })
  avatar: string | null;

  @Column({ type: 'text', nullable: true })
  emoji: string | null;

  @Column({ name: 'script_enabled', type: 'boolean' })
  scriptEnabled: boolean;

  @Column({ type: 'text', nullable: true })
  script: string | null;

  @Column({ name: 'script_engine', type: 'varchar', length: 16, nullable: true })
  scriptEngine: string | null;

  /** Store the script as written (strict class bodies) instead of transpiling it (spec §3.5). */
  @Column({ name: 'skip_transpile', type: 'boolean', nullable: true })
  skipTranspile: boolean | null;

  @Column({ name: 'script_compiled', type: 'text', nullable: true })
  scriptCompiled: string | null;

  @Column({ name: 'script_error', type: 'jsonb', nullable: true })
  scriptError: ScriptError | null;

  @Column({ name: 'override_destination_channel_enabled', type: 'boolean', nullable: true })
  overrideDestinationChannelEnabled: boolean | null;

  /** Incoming: generated, the secret in the hook URL. Outgoing: the client's, sent to the target. */
  @Column({ type: 'text', nullable: true })
  token: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  event: string | null;

  @Index('integrations_urls_gin', { synchronize: false })
  @Column({ type: 'text', array: true, nullable: true })
  urls: string[] | null;

  @Column({ name: 'trigger_words', type: 'text', array: true, nullable: true })
  triggerWords: string[] | null;

  @Column({ name: 'trigger_word_anywhere', type: 'boolean', nullable: true })
  triggerWordAnywhere: boolean | null;

  @Column({ name: 'target_room', type: 'text', nullable: true })
  targetRoom: string | null;

  @Column({ name: 'impersonate_user', type: 'boolean', nullable: true })
  impersonateUser: boolean | null;

  @Column({ name: 'run_on_edits', type: 'boolean', nullable: true })
  runOnEdits: boolean | null;

  @Column({ name: 'retry_failed_calls', type: 'boolean', nullable: true })
  retryFailedCalls: boolean | null;

  @Column({ name: 'retry_count', type: 'integer', nullable: true })
  retryCount: number | null;

  @Column({ name: 'retry_delay', type: 'text', nullable: true })
  retryDelay: string | null;

  /** Outgoing, Hookline's own: at most this many deliveries a second, for the cluster; null: no limit. */
  @Column({ name: 'delivery_rate_limit', type: 'double precision', nullable: true })
  deliveryRateLimit: number | null;

  /** Set when the server disabled it (AutoDisable), cleared when it is enabled again; never on the wire. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 16, nullable: true })
  disabledReason: DisabledReason | null;

  /** Outgoing: the Standard Webhooks signing secret (`whsec_…`) its requests are signed with. */
  @Column({ name: 'signing_secret', type: 'text', nullable: true })
  signingSecret: string | null;

  /** Incoming: which calls its history keeps (`all`, `errors`, `off`); null follows HOOK_HISTORY. */
  @Column({ name: 'hook_history', type: 'varchar', length: 8, nullable: true })
  hookHistory: HookHistoryMode | null;

  /** The names of its script secrets (values live sealed in integration_secrets). */
  @Column({ name: 'secret_names', type: 'text', array: true, nullable: true })
  secretNames: string[] | null;

  /** Outgoing: the names of its own headers (values live sealed in integration_secrets as `header:<name>`). */
  @Column({ name: 'header_names', type: 'text', array: true, nullable: true })
  headerNames: string[] | null;

  /** The secret a rotation replaced: it signs beside the new one until `previousSigningSecretExpiresAt`. */
  @Column({ name: 'previous_signing_secret', type: 'text', nullable: true })
  previousSigningSecret: string | null;

  @Column({ name: 'previous_signing_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSigningSecretExpiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Index('integrations_created_by_id_idx')
  @Column({ name: 'created_by_id', type: 'varchar', length: 32 })
  createdById: string;

  @Column({ name: 'created_by_username', type: 'text' })
  createdByUsername: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'updated_by_id', type: 'varchar', length: 32, nullable: true })
  updatedById: string | null;

  @Column({ name: 'updated_by_username', type: 'text', nullable: true })
  updatedByUsername: string | null;
}
