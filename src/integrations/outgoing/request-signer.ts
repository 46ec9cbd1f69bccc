import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const PREFIX = 'whsec_';

/** A new signing secret: 24 random bytes, base64, with the Standard Webhooks prefix. */
export function newSigningSecret(): string {
  return `${PREFIX}${randomBytes(24).toString('base64')}`;
}

/**
 * A delivery's `webhook-id`: `msg_` and a UUIDv7 in hex (48 bits of milliseconds, then random),
 * unique across installations and roughly in the order deliveries were queued. Every retry of the
 * delivery sends the same id; a replay is a new delivery with an id of its own.
 */
export function newMessageId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return `msg_${bytes.toString('hex')}`;
}

/**
 * The Standard Webhooks headers for one request: `webhook-id`, `webhook-timestamp` (seconds) and
 * `webhook-signature`, signed by the reference `standardwebhooks` package so that signing follows
 * the specification exactly.
 */
export function signatureHeaders(secret: string, messageId: string, body: string, now = new Date()): Record<string, string> {
  const signature = new Webhook(secret).sign(messageId, now, body);
  return { 'webhook-id': messageId, 'webhook-timestamp': Math.floor(now.getTime() / 1000).toString(), 'webhook-signature': signature };
}
