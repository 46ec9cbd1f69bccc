/** What a target's answer means for the delivery, when no script decided (spec §5.3 steps 17–18). */
export type ResponseVerdict = 'ok' | 'disable' | 'final' | 'retry';

const ACCEPTED = [200, 201, 202];

/**
 * Rocket.Chat's reading of a target's answer: 200, 201 or 202 with a body is taken (`ok`); 410
 * with a body turns the integration off (`disable`); 500 with a body is not tried again
 * (`final`); anything else, an empty body included, is tried again (`retry`, if the integration
 * retries at all).
 */
export function classify(status: number, body: string): ResponseVerdict {
  if (!body) return 'retry';
  if (ACCEPTED.includes(status)) return 'ok';
  if (status === 410) return 'disable';
  if (status === 500) return 'final';
  return 'retry';
}
