import { ApiError } from '../../core/http/api-error';
import { Integration } from '../entities/integration.entity';
import { IntegrationInput } from '../integration-input';
import { ValidOutgoing } from '../integration-validator';
import { EngineFrozen, ScriptCompiler } from '../scripts/script-compiler';

/** Rocket.Chat's removeEmpty on insert: '' and null are not stored. */
export const kept = <T>(value: T | null | undefined): T | null => (value === '' || value === undefined ? null : value);

/** An outgoing integration's fields from checked input: create and update write the same set (an update is a full replacement). */
export function outgoingFields(input: IntegrationInput, valid: ValidOutgoing): Partial<Integration> {
  return {
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
}

/** Own headers are sent by outgoing integrations only; an incoming one with some is refused, not silently stripped. */
export function refuseHeaders(input: IntegrationInput): void {
  if (input.headers && Object.keys(input.headers).length) throw ApiError.meteor('error-invalid-header', 'Only outgoing integrations send headers of their own');
}

/** A script may be saved only for an engine that is not frozen (SCRIPT_ENGINES); refused with the engine's message. */
export function assertEngine(scripts: ScriptCompiler, engine: string): void {
  try {
    scripts.assertEngineAllowed(engine);
  } catch (error) {
    if (error instanceof EngineFrozen) throw ApiError.failure(error.message, 400, error.code);
    throw error;
  }
}

/** Whether a save changes the script that would run: its engine, or its text beyond surrounding blanks. */
export const scriptEdited = (current: Pick<Integration, 'script' | 'scriptEngine'>, engine: string, script: string | null | undefined): boolean =>
  engine !== current.scriptEngine || (script ?? '').trim() !== (current.script ?? '').trim();
