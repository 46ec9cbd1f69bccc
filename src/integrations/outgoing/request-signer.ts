import { createHmac, randomBytes } from 'node:crypto';

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
 * `webhook-signature`: for each secret, `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`
 * under the secret's bytes (the base64 after `whsec_`), space-separated (during a rotation, the
 * new secret's and the old one's). Node's native HMAC: the reference package hashes in
 * JavaScript, a measurable cost per delivery; the tests verify with the reference package.
 */
export function signatureHeaders(secrets: readonly string[], messageId: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  const signed = `${messageId}.${timestamp}.${body}`;
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  });
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/** The secrets that sign now: the current one, and a rotated-out one until it expires. */
export function signingSecrets(
  integration: { signingSecret: string | null; previousSigningSecret: string | null; previousSigningSecretExpiresAt: Date | null },
  now = new Date(),
): string[] {
  const secrets = integration.signingSecret ? [integration.signingSecret] : [];
  const previous = integration.previousSigningSecret;
  if (previous && integration.previousSigningSecretExpiresAt && integration.previousSigningSecretExpiresAt > now) secrets.push(previous);
  return secrets;
}
