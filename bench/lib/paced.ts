import { Pool } from 'undici';

export interface PacedFigures {
  sent: number;
  ok200: number;
  errors: number;
  /** How far, at most, a request left after its planned time (ms): how steady the pace was. */
  maxLagMs: number;
}

/**
 * Sends `count` POSTs at a steady `rate` per second: request i leaves at start + i / rate, whether
 * or not earlier ones have been answered. (autocannon's `overallRate` sends each second's quota
 * back to back at the start of the second: a burst, not a rate.)
 */
export async function pacedPosts(spec: { url: string; headers: Record<string, string>; body: string; rate: number; count: number }): Promise<PacedFigures> {
  const target = new URL(spec.url);
  const pool = new Pool(target.origin, { connections: 64 });
  const intervalMs = 1000 / spec.rate;
  const started = performance.now();
  let ok200 = 0;
  let errors = 0;
  let maxLagMs = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < spec.count; i += 1) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    pending.push(
      pool
        .request({ path: target.pathname + target.search, method: 'POST', headers: { 'content-type': 'application/json', ...spec.headers }, body: spec.body })
        .then(async (response) => {
          await response.body.dump();
          if (response.statusCode === 200) ok200 += 1;
          else errors += 1;
        })
        .catch(() => {
          errors += 1;
        }),
    );
  }
  await Promise.all(pending);
  await pool.close();
  return { sent: spec.count, ok200, errors, maxLagMs: Math.round(maxLagMs) };
}
