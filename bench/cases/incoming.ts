import { Hookline, storedMessages } from '../lib/hookline';
import { LoadFigures, warmedLoad } from '../lib/load';
import { RESHAPING_SCRIPT, SLACK_BODY } from './payloads';

export interface IngestFigures extends LoadFigures {
  stored: number;
  /** 200 answers whose message is not stored (must be 0). */
  lost: number;
  /** Stored messages whose request was still in flight when the load stopped (answered after). */
  inFlightAtStop: number;
  /** Microseconds of the whole machine's CPU (every process) per request. */
  cpuUsEach: number;
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
  let storedBefore = 0;
  const figures = await warmedLoad({ url: hookUrl, body: SLACK_BODY, connections: CONNECTIONS }, seconds, async () => {
    storedBefore = await storedMessages(server, 'general');
  });
  await new Promise((r) => setTimeout(r, 1000)); // requests cut off at the end finish on the server
  const stored = (await storedMessages(server, 'general')) - storedBefore;
  return { ...figures, stored, lost: Math.max(0, figures.ok200 - stored), inFlightAtStop: Math.max(0, stored - figures.ok200) };
}

/**
 * Hookline's own HTTP floor: `GET /api/info` (public, no database) through the whole Nest stack
 * (routing, guards, logging, the error envelope) for `seconds`, with the machine's CPU per request.
 */
export async function stackFloor(server: Hookline, seconds: number): Promise<LoadFigures & { cpuUsEach: number }> {
  return warmedLoad({ url: `${server.url}/api/info`, method: 'GET', connections: CONNECTIONS }, seconds);
}

/** The baselines: Fastify's ceiling and the one-insert floor (bench/baselines/fastify-floor.ts), with the machine's CPU per request. */
export async function baselineIngest(baseUrl: string, route: '/ok' | '/insert', seconds: number): Promise<LoadFigures & { cpuUsEach: number }> {
  return warmedLoad({ url: `${baseUrl}${route}`, body: SLACK_BODY, connections: CONNECTIONS }, seconds);
}
