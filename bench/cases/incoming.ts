import { Hookline, storedMessages } from '../lib/hookline';
import { load, LoadFigures } from '../lib/load';
import { RESHAPING_SCRIPT, SLACK_BODY } from './payloads';

export interface IngestFigures extends LoadFigures {
  stored: number;
  /** 200 answers whose message is not stored (must be 0). */
  lost: number;
  /** Stored messages whose request was still in flight when the load stopped (answered after). */
  inFlightAtStop: number;
}

const CONNECTIONS = 64;

/** Creates an incoming hook on #general (optionally with the reshaping script) and returns its URL. */
export async function createIncomingHook(server: Hookline, withScript: boolean): Promise<string> {
  const { integration } = await server.api('POST', 'integrations.create', {
    type: 'webhook-incoming',
    name: withScript ? 'bench incoming with script' : 'bench incoming',
    enabled: true,
    username: 'rocket.cat',
    channel: '#general',
    scriptEnabled: withScript,
    ...(withScript ? { script: RESHAPING_SCRIPT } : {}),
  });
  return `${server.url}/hooks/${integration._id}/${integration.token}`;
}

/** Case 1 / 2: POST the Slack body at a hook for `seconds`, then count what was stored. */
export async function incomingIngest(server: Hookline, hookUrl: string, seconds: number): Promise<IngestFigures> {
  await load({ url: hookUrl, body: SLACK_BODY, connections: CONNECTIONS, duration: Math.min(3, seconds) }); // warm-up
  const storedBefore = await storedMessages(server, 'general');
  const figures = await load({ url: hookUrl, body: SLACK_BODY, connections: CONNECTIONS, duration: seconds });
  await new Promise((r) => setTimeout(r, 1000)); // requests cut off at the end finish on the server
  const stored = (await storedMessages(server, 'general')) - storedBefore;
  return { ...figures, stored, lost: Math.max(0, figures.ok200 - stored), inFlightAtStop: Math.max(0, stored - figures.ok200) };
}

/** The baselines: Fastify's ceiling and the one-insert floor (bench/baselines/fastify-floor.ts). */
export async function baselineIngest(baseUrl: string, route: '/ok' | '/insert', seconds: number): Promise<LoadFigures> {
  await load({ url: `${baseUrl}${route}`, body: SLACK_BODY, connections: CONNECTIONS, duration: Math.min(3, seconds) });
  return load({ url: `${baseUrl}${route}`, body: SLACK_BODY, connections: CONNECTIONS, duration: seconds });
}
