import { hash, randomBytes } from 'node:crypto';

/** What the database keeps of a login token: its SHA-256, hex. */
export function hashLoginToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** A fresh login token (256 random bits, base64url: 43 characters, like Rocket.Chat's). */
export function newLoginToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLoginToken(token) };
}
