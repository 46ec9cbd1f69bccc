import { randomInt } from 'node:crypto';

/** Meteor's `Random.id` alphabet: no 0, 1, I, O, U, V, l, so ids read back without ambiguity. */
export const UNMISTAKABLE_CHARS = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** A Meteor-style id from a cryptographic source: 17 characters unless told otherwise. */
export function randomId(length = 17): string {
  let id = '';
  for (let i = 0; i < length; i++) id += UNMISTAKABLE_CHARS[randomInt(UNMISTAKABLE_CHARS.length)];
  return id;
}
