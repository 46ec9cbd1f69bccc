import autocannon from 'autocannon';
import { measuringMachineCpu, microsecondsEach, settle } from './machine-cpu';

export interface LoadFigures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts and non-2xx answers together. */
  errors: number;
  ok200: number;
  seconds: number;
}

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds; or stop after `amount` requests. */
  duration?: number;
  amount?: number;
  /** Requests per second across all connections. */
  overallRate?: number;
}

/** Runs autocannon in this process against a server in another one. */
export async function load(spec: LoadSpec): Promise<LoadFigures> {
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: spec.body ? { 'content-type': 'application/json', ...spec.headers } : spec.headers,
    body: spec.body,
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration }),
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    timeout: 30,
  });
  const requests = result.requests.total;
  return {
    requests,
    rps: Math.round(requests / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    ok200: result.statusCodeStats?.['200']?.count ?? 0,
    seconds: result.duration,
  };
}

/**
 * A timed load as the cases measure one: once the machine is quiet, a warm-up of up to 3 s, then
 * `seconds` of load with the machine's CPU per request. `beforeMeasuring` runs between the two
 * (a count to compare with afterwards).
 */
export async function warmedLoad(spec: Omit<LoadSpec, 'duration' | 'amount'>, seconds: number, beforeMeasuring?: () => Promise<void>): Promise<LoadFigures & { cpuUsEach: number }> {
  await settle();
  await load({ ...spec, duration: Math.min(3, seconds) });
  await beforeMeasuring?.();
  const { result, cpuSeconds } = await measuringMachineCpu(() => load({ ...spec, duration: seconds }));
  return { ...result, cpuUsEach: microsecondsEach(cpuSeconds, result.requests) };
}
