/**
 * What a `process_incoming_request` result means (integrations spec §3.4), read once for the hook
 * and for dry runs: nothing to post (a falsy result), a failure (a non-object, an `error`, a
 * `content` that is no object), or content to post, with an optional own `response` and `user`.
 */
export type IncomingScriptResult =
  | { kind: 'nothing' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'post'; content: Record<string, unknown>; response?: Record<string, unknown>; user?: unknown };

const SCRIPT_FAILED = 'error-running-script';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function readIncomingScriptResult(result: unknown): IncomingScriptResult {
  if (!result) return { kind: 'nothing' };
  if (!isRecord(result)) return { kind: 'failed', error: SCRIPT_FAILED };
  if (result.error) return { kind: 'failed', error: result.error };
  if (!isRecord(result.content)) return { kind: 'failed', error: SCRIPT_FAILED };
  return {
    kind: 'post',
    content: { ...result.content },
    ...(isRecord(result.response) ? { response: result.response } : {}),
    ...(result.user ? { user: result.user } : {}),
  };
}
