import { hash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in time that depends on neither (both are hashed to a fixed length first). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (s: string) => hash('sha256', s, 'buffer');
  return timingSafeEqual(digest(a), digest(b));
}
