import { INCOMING, OUTGOING } from '../entities/integration.entity';

/**
 * The JSON schemas of the integrations endpoints, as Rocket.Chat's REST typings declare them
 * (integrations spec §2): same properties, required lists and `additionalProperties`, so the
 * same bodies pass and the same AJV messages come back.
 */
type Schema = Record<string, unknown>;

const str = (nullable = false): Schema => ({ type: 'string', nullable });
const bool = (nullable = false): Schema => ({ type: 'boolean', nullable });
const strings: Schema = { type: 'array', items: { type: 'string', minLength: 1 }, nullable: true };
const typeIs = (pattern: string): Schema => ({ type: 'string', pattern, nullable: false });

/** Optional fields both integration types accept. */
// `secrets` and `headers` are Hookline's own (checked by planSecrets and planHeaders, whose messages name the secret or header).
const common = { script: str(true), alias: str(true), avatar: str(true), emoji: str(true), scriptEngine: str(true), skipTranspile: bool(true), secrets: { type: 'object', nullable: true } as Schema, headers: { type: 'object', nullable: true } as Schema };

/** Hookline's own, outgoing only: deliveries a second at most, for the cluster (null: no limit; its range is checked with a message naming it). */
const deliveryRateLimit: Schema = { type: 'number', nullable: true };

/** Hookline's own, incoming only: which calls the integration's history keeps (null: HOOK_HISTORY). */
const hookHistory: Schema = { type: 'string', enum: ['all', 'errors', 'off', null], nullable: true };

const outgoingFields = {
  username: str(),
  channel: str(),
  event: str(),
  targetRoom: str(true),
  urls: strings,
  triggerWords: strings,
  triggerWordAnywhere: bool(true),
  token: str(true),
  scriptEnabled: bool(),
  runOnEdits: bool(true),
  retryFailedCalls: bool(true),
  retryCount: { type: 'number', nullable: true },
  retryDelay: str(true),
  impersonateUser: bool(true),
  deliveryRateLimit,
  name: str(),
  enabled: bool(),
  ...common,
};
const outgoingRequired = ['type', 'username', 'channel', 'event', 'scriptEnabled', 'name', 'enabled'];

export const createIntegrationSchema: Schema = {
  oneOf: [
    {
      type: 'object',
      properties: {
        type: typeIs(INCOMING),
        username: str(),
        channel: str(),
        scriptEnabled: bool(),
        name: str(),
        enabled: bool(),
        overrideDestinationChannelEnabled: bool(true),
        hookHistory,
        ...common,
      },
      required: ['type', 'username', 'channel', 'scriptEnabled', 'name', 'enabled'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { type: typeIs(OUTGOING), ...outgoingFields },
      required: outgoingRequired,
      additionalProperties: false,
    },
  ],
};

export const updateIntegrationSchema: Schema = {
  oneOf: [
    {
      type: 'object',
      properties: {
        type: typeIs(INCOMING),
        integrationId: str(),
        channel: str(),
        scriptEnabled: bool(),
        overrideDestinationChannelEnabled: bool(true),
        name: str(),
        enabled: bool(),
        hookHistory,
        ...common,
      },
      required: ['integrationId', 'type', 'channel', 'scriptEnabled', 'name', 'enabled'],
      additionalProperties: true,
    },
    {
      type: 'object',
      properties: { type: typeIs(OUTGOING), integrationId: str(true), target_url: str(true), ...outgoingFields },
      required: outgoingRequired,
      additionalProperties: false,
    },
  ],
};

export const removeIntegrationSchema: Schema = {
  oneOf: [
    {
      type: 'object',
      properties: { type: typeIs(INCOMING), integrationId: str() },
      required: ['type', 'integrationId'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { type: typeIs(OUTGOING), target_url: str() },
      required: ['type', 'target_url'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { type: typeIs(OUTGOING), integrationId: str() },
      required: ['type', 'integrationId'],
      additionalProperties: false,
    },
  ],
};

const pagination = { offset: { type: ['number', 'string'] }, count: { type: ['number', 'string'] }, sort: { type: 'string' } };

export const listIntegrationsSchema: Schema = {
  type: 'object',
  properties: { ...pagination, name: { type: 'string' }, type: { type: 'string' } },
  additionalProperties: false,
};

export const getIntegrationSchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string' }, createdBy: { type: 'string' } },
  required: ['integrationId'],
  additionalProperties: false,
};

export const integrationHistorySchema: Schema = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1 }, ...pagination, query: { type: 'string' }, outcome: { type: 'string', enum: ['ok', 'error'] } },
  required: ['id'],
  additionalProperties: false,
};

export const clearHistorySchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string', minLength: 1 } },
  required: ['integrationId'],
  additionalProperties: false,
};

export const scriptRevisionsSchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string', minLength: 1 }, ...pagination },
  required: ['integrationId'],
  additionalProperties: false,
};

export const revertScriptSchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string', minLength: 1 }, revision: { type: 'integer', minimum: 1 } },
  required: ['integrationId', 'revision'],
  additionalProperties: false,
};

export const dryRunSchema: Schema = {
  type: 'object',
  properties: {
    integrationId: { type: 'string', minLength: 1 },
    script: { type: 'string' },
    request: { type: 'object' },
    response: {
      type: 'object',
      properties: { status_code: { type: 'integer', minimum: 100, maximum: 599 }, headers: { type: 'object' } },
    },
  },
  required: ['integrationId'],
  additionalProperties: false,
};

/** Longest overlap of a rotated signing secret: 30 days. */
export const MAX_KEEP_OLD_SECONDS = 30 * 86_400;

export const rotateSigningSecretSchema: Schema = {
  type: 'object',
  properties: {
    integrationId: { type: 'string', minLength: 1 },
    keepOldForSeconds: { type: 'integer', minimum: 0, maximum: MAX_KEEP_OLD_SECONDS },
  },
  required: ['integrationId'],
  additionalProperties: false,
};

export const replayOutgoingSchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string', minLength: 1 }, historyId: { type: 'string', minLength: 1 } },
  required: ['integrationId', 'historyId'],
  additionalProperties: false,
};

export const recoverOutgoingSchema: Schema = {
  type: 'object',
  properties: { integrationId: { type: 'string', minLength: 1 }, since: { type: 'string', minLength: 1 } },
  required: ['integrationId', 'since'],
  additionalProperties: false,
};

export const importIntegrationsSchema: Schema = {
  type: 'object',
  properties: {
    url: { type: 'string', minLength: 1 },
    userId: { type: 'string', minLength: 1 },
    token: { type: 'string', minLength: 1 },
    documents: { type: 'array', items: { type: 'object' } },
    dryRun: { type: 'boolean' },
  },
  additionalProperties: false,
};

export const roomIntegrationsSchema: Schema = {
  type: 'object',
  properties: {
    roomId: { type: 'string', minLength: 1 },
    ...pagination,
    includeAllPublicChannels: { type: 'string', enum: ['true', 'false'] },
    includeAllPrivateGroups: { type: 'string', enum: ['true', 'false'] },
  },
  required: ['roomId'],
  additionalProperties: false,
};
