import { Hookline } from '../lib/hookline';
import { sleep } from '../lib/processes';
import { RESHAPING_SCRIPT, SLACK_BODY } from './payloads';

export interface ScriptScaleFigures {
  integrations: number;
  /** Node process RSS: idle before, after every script ran once, and after the second round. */
  rssIdleMb: number;
  rssAfterFirstMb: number;
  rssAfterSecondMb: number;
  /** One call at a time, ms: a first call (compiles), a call after eviction (compiles again), a warm call. */
  first: { p50: number; p99: number };
  evicted: { p50: number; p99: number };
  warm: { p50: number; p99: number };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
};
const summary = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });

/**
 * Creates `count` scripted incoming integrations; returns their hook URLs. (Saving a script runs
 * Babel, whose garbage the heap keeps for a while: the calls are measured on a server started
 * afterwards, as integrations made over weeks would find it.)
 */
export async function createScriptedHooks(server: Hookline, count: number): Promise<string[]> {
  const urls: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const created = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, (_, k) =>
        server.api('POST', 'integrations.create', {
          type: 'webhook-incoming',
          name: `bench script ${i + k}`,
          enabled: true,
          username: 'rocket.cat',
          channel: '#general',
          scriptEnabled: true,
          script: RESHAPING_SCRIPT,
        }),
      ),
    );
    urls.push(...created.map(({ integration }) => `/hooks/${integration._id}/${integration.token}`));
  }
  return urls;
}

/**
 * Calls every hook once and then again in the same order: with SCRIPT_ISOLATES_MAX below their
 * number, the second round finds every isolate evicted. Warm calls go to the most recently used
 * ones. Calls are made one at a time so each latency is the call's own.
 */
export async function scriptsAtScale(server: Hookline, paths: string[]): Promise<ScriptScaleFigures> {
  await sleep(3000);
  const rssIdleMb = server.process.rssMb();
  const urls = paths.map((path) => `${server.url}${path}`);
  const call = async (url: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: SLACK_BODY });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`hook answered ${response.status}`);
    return performance.now() - started;
  };
  const round = async (list: string[]) => {
    const times: number[] = [];
    for (const url of list) times.push(await call(url));
    return times;
  };
  const first = await round(urls);
  await sleep(2000);
  const rssAfterFirstMb = server.process.rssMb();
  const evicted = await round(urls);
  const recent = urls.slice(-50);
  const warm = [...(await round(recent)), ...(await round(recent)), ...(await round(recent))];
  await sleep(2000);
  const rssAfterSecondMb = server.process.rssMb();
  return { integrations: urls.length, rssIdleMb, rssAfterFirstMb, rssAfterSecondMb, first: summary(first), evicted: summary(evicted), warm: summary(warm) };
}
