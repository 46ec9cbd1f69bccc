import { ApiError } from '../core/http/api-error';

/** Scoped targets an outgoing integration may name besides rooms and users. */
export const SCOPED_CHANNELS = ['all_public_channels', 'all_private_groups', 'all_direct_messages'];

const startWithChars = () => ApiError.meteor('error-invalid-channel-start-with-chars', 'Invalid channel. Start with @ or #');

/**
 * Incoming integrations (spec §3.1 steps 3–4): a comma-separated list where every trimmed part
 * starts with `#` or `@`; an empty part is an error.
 */
export function parseIncomingChannels(channel: unknown): string[] {
  if (typeof channel !== 'string' || !channel.trim()) throw ApiError.meteor('error-invalid-channel', 'Invalid channel');
  const parts = channel.split(',').map((c) => c.trim());
  if (parts.some((c) => c[0] !== '#' && c[0] !== '@')) throw startWithChars();
  return parts;
}

/**
 * Outgoing integrations (spec §3.2 step f): CSV, trimmed, empty parts dropped; each part starts
 * with `#` or `@` or is a scoped name (any case here; the permission check is case-sensitive).
 */
export function parseOutgoingChannels(channel: unknown): string[] {
  if (typeof channel !== 'string') throw ApiError.meteor('error-invalid-channel', 'Invalid Channel');
  const parts = channel
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const ok = (c: string) => c[0] === '#' || c[0] === '@' || SCOPED_CHANNELS.includes(c.toLowerCase());
  if (!parts.every(ok)) throw startWithChars();
  return parts;
}
