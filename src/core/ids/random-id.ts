import { randomFillSync } from 'node:crypto';

/** Meteor's `Random.id` alphabet: no 0, 1, I, O, U, V, l, so ids read back without ambiguity. */
export const UNMISTAKABLE_CHARS = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** Bytes at or above this are skipped, so every character is equally likely (220 = 4 × 55). */
const UNBIASED_BELOW = 256 - (256 % UNMISTAKABLE_CHARS.length);

/**
 * Random bytes drawn a page at a time: one system call for many ids instead of one per
 * character (every message and delivery gets an id).
 */
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++];
}

/** A Meteor-style id from a cryptographic source: 17 characters unless told otherwise. */
export function randomId(length = 17): string {
  let id = '';
  while (id.length < length) {
    const byte = randomByte();
    if (byte < UNBIASED_BELOW) id += UNMISTAKABLE_CHARS[byte % UNMISTAKABLE_CHARS.length];
  }
  return id;
}
