// A native binding: hashing runs on libuv's thread pool, so a burst of logins does not stall the event loop.
import { hash, verify } from '@node-rs/bcrypt';
import { createHash } from 'node:crypto';

const BCRYPT_ROUNDS = 10;

/** A password as clients send it: plain text, or Rocket.Chat's pre-hashed `{digest, algorithm: 'sha-256'}`. */
export type PasswordInput = string | { digest: string; algorithm: 'sha-256' };

/** Rocket.Chat hashes the SHA-256 hex digest of the password with bcrypt; so do we, so both login forms work. */
function digestOf(password: PasswordInput): string {
  return typeof password === 'string' ? createHash('sha256').update(password).digest('hex') : password.digest.toLowerCase();
}

export function hashPassword(password: PasswordInput): Promise<string> {
  return hash(digestOf(password), BCRYPT_ROUNDS);
}

/** bcrypt's comparison does not stop at the first differing byte. A malformed stored hash never matches. */
export async function verifyPassword(password: PasswordInput, passwordHash: string): Promise<boolean> {
  try {
    return await verify(digestOf(password), passwordHash);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same time as a real check when there is no hash to check against (unknown user), so
 * response times do not tell which usernames exist. Always false.
 */
export async function verifyAgainstDecoy(password: PasswordInput): Promise<false> {
  decoy ??= hashPassword('decoy password, never matches');
  await verifyPassword(password, await decoy);
  return false;
}
