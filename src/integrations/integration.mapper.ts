import { Integration } from './entities/integration.entity';
import { ApiStats } from './stats/integration-stats';

/**
 * An integration as Rocket.Chat's REST API returns it: absent (null) fields are left out. The
 * signing secret is shown only by the answer that creates it (`withSigningSecret`), never again
 * (get, list, update, history snapshots). `stats` (get and list) is Hookline's delivery health.
 */
export function toApiIntegration(i: Integration, { withSigningSecret = false, stats }: { withSigningSecret?: boolean; stats?: ApiStats } = {}): Record<string, unknown> {
  const optional: Record<string, unknown> = {
    alias: i.alias,
    avatar: i.avatar,
    emoji: i.emoji,
    script: i.script,
    scriptEngine: i.scriptEngine,
    skipTranspile: i.skipTranspile,
    scriptCompiled: i.scriptCompiled,
    scriptError: i.scriptError,
    overrideDestinationChannelEnabled: i.overrideDestinationChannelEnabled,
    hookHistory: i.hookHistory,
    token: i.token,
    event: i.event,
    urls: i.urls,
    triggerWords: i.triggerWords,
    triggerWordAnywhere: i.triggerWordAnywhere,
    targetRoom: i.targetRoom,
    impersonateUser: i.impersonateUser,
    runOnEdits: i.runOnEdits,
    retryFailedCalls: i.retryFailedCalls,
    retryCount: i.retryCount,
    retryDelay: i.retryDelay,
    deliveryRateLimit: i.deliveryRateLimit,
    signingSecret: withSigningSecret ? i.signingSecret : null,
    // Names only: a secret's value never leaves the server.
    secrets: i.secretNames?.length ? i.secretNames : null,
    headers: i.headerNames?.length ? i.headerNames : null,
    stats,
  };
  return {
    _id: i.id,
    type: i.type,
    name: i.name,
    enabled: i.enabled,
    username: i.username,
    userId: i.userId,
    channel: i.channel,
    scriptEnabled: i.scriptEnabled,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null && v !== undefined)),
    _createdAt: i.createdAt.toISOString(),
    _createdBy: { _id: i.createdById, username: i.createdByUsername },
    _updatedAt: i.updatedAt.toISOString(),
    ...(i.updatedById ? { _updatedBy: { _id: i.updatedById, username: i.updatedByUsername } } : {}),
  };
}
