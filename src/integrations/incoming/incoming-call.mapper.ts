import { callFailed, IncomingCall } from './incoming-call.entity';

/** An incoming call as `integrations.history` shows it (Hookline's own shape; `type: 'incoming-webhook'`). */
export function toApiIncomingCall(c: IncomingCall): Record<string, unknown> {
  return {
    _id: c.id,
    type: 'incoming-webhook',
    integration: { _id: c.integrationId },
    outcome: callFailed(c) ? 'error' : 'ok',
    method: c.method,
    ...(c.contentType !== null ? { contentType: c.contentType } : {}),
    ...(c.headers !== null ? { headers: c.headers } : {}),
    bodySize: c.bodyBytes,
    body: c.body,
    bodyTruncated: c.bodyTruncated,
    script: c.script,
    ...(c.scriptError !== null ? { scriptError: c.scriptError } : {}),
    status: c.status,
    ...(c.error !== null ? { error: c.error } : {}),
    messageIds: c.messageIds,
    durationMs: Math.round(c.durationMs * 100) / 100,
    _createdAt: c.createdAt.toISOString(),
  };
}
