import { storableString } from '../../core/http/storable-text';

/** One finished call (incoming) or delivery attempt (outgoing). */
export interface AttemptFact {
  integrationId: string;
  at: Date;
  ok: boolean;
  /** What went wrong: a status (`answered 503`) or an error. */
  failure?: string;
}

/** Width of a stats bucket: 5 minutes, counted from the Unix epoch (as `date_bin` from 2000-01-01). */
export const BUCKET_MS = 5 * 60 * 1000;

/** Attempts and failures of one integration in one bucket. */
export interface BucketCount {
  integration_id: string;
  bucket: string;
  attempts: number;
  failures: number;
}

/** What a batch says of one integration's health (how `integration_health` is moved on). */
export interface HealthChange {
  integration_id: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_failure: string | null;
  /** The batch's failures after its last success (all of them without one): when the run began, and how many. */
  failing_since: string | null;
  failures_since: number;
}

interface Health {
  lastSuccess?: number;
  lastFailure?: { at: number; text: string };
  failures: number[];
}

/**
 * A batch of attempts folded to one row per integration and bucket, and one per integration: the
 * database upserts a handful of rows instead of reading every attempt again (at thousands of
 * hook calls a second, that reading was two fifths of the history write).
 */
export function summariseAttempts(facts: readonly AttemptFact[]): { buckets: BucketCount[]; health: HealthChange[] } {
  const buckets = new Map<string, BucketCount>();
  const health = new Map<string, Health>();
  for (const fact of facts) {
    const at = fact.at.getTime();
    const bucket = new Date(Math.floor(at / BUCKET_MS) * BUCKET_MS).toISOString();
    const key = `${fact.integrationId}\u0000${bucket}`;
    const count = buckets.get(key) ?? { integration_id: fact.integrationId, bucket, attempts: 0, failures: 0 };
    count.attempts += 1;
    if (!fact.ok) count.failures += 1;
    buckets.set(key, count);

    const h = health.get(fact.integrationId) ?? { failures: [] };
    if (fact.ok) h.lastSuccess = Math.max(h.lastSuccess ?? at, at);
    else {
      h.failures.push(at);
      if (!h.lastFailure || at >= h.lastFailure.at) h.lastFailure = { at, text: storableString((fact.failure ?? 'failed').slice(0, 500)) };
    }
    health.set(fact.integrationId, h);
  }
  return {
    buckets: [...buckets.values()],
    health: [...health.entries()].map(([id, h]) => {
      let failingSince: number | undefined;
      let failuresSince = 0;
      for (const at of h.failures) {
        if (h.lastSuccess !== undefined && at <= h.lastSuccess) continue;
        failuresSince += 1;
        failingSince = Math.min(failingSince ?? at, at);
      }
      return {
        integration_id: id,
        last_success_at: iso(h.lastSuccess),
        last_failure_at: iso(h.lastFailure?.at),
        last_failure: h.lastFailure?.text ?? null,
        failing_since: iso(failingSince),
        failures_since: failuresSince,
      };
    }),
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
