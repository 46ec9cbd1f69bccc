import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { Hookline } from '../lib/hookline';
import { load } from '../lib/load';
import { SinkProcess } from '../lib/sink';
import { CHAT_BODY } from './payloads';

/**
 * The concurrency Hookline's worker gives one target url by default (DELIVERY_PER_URL_CONCURRENCY;
 * the benchmark has a single target, so this is all of its deliveries in flight).
 */
export const DELIVERY_CONCURRENCY = 16;
const POST_CONNECTIONS = 32;

export interface DeliveryFigures {
  messages: number;
  /** All messages delivered before the time limit. */
  complete: boolean;
  delivered: number;
  duplicates: number;
  postRps: number;
  postErrors: number;
  /** Distinct deliveries per second, from the first post to the last arrival. */
  deliveriesPerSecond: number;
  seconds: number;
}

export interface LatencyFigures {
  rate: number;
  messages: number;
  delivered: number;
  p50: number | null;
  p99: number | null;
}

export async function createOutgoing(server: Hookline, url: string, channel = '#general'): Promise<void> {
  await server.api('POST', 'integrations.create', {
    type: 'webhook-outgoing',
    name: `bench outgoing ${channel}`,
    enabled: true,
    event: 'sendMessage',
    username: 'rocket.cat',
    channel,
    urls: [url],
    scriptEnabled: false,
  });
}

const postUrl = (server: Hookline) => `${server.url}/api/v1/chat.postMessage`;

/** Case 3: post `messages` through chat.postMessage and time until the sink holds them all. */
export async function outgoingThroughput(server: Hookline, sink: SinkProcess, path: string, messages: number, limitMs: number): Promise<DeliveryFigures> {
  await sink.reset();
  const started = Date.now();
  const posted = await load({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, connections: POST_CONNECTIONS, amount: messages });
  const expected = posted.ok200;
  const f = await sink.waitFor(path, expected, limitMs);
  const seconds = ((f.complete ? f.lastAt : Date.now()) - started) / 1000;
  return {
    messages: expected,
    complete: f.complete,
    delivered: f.unique,
    duplicates: f.duplicates,
    postRps: posted.rps,
    postErrors: posted.errors,
    deliveriesPerSecond: Math.round(f.unique / seconds),
    seconds: Math.round(seconds * 10) / 10,
  };
}

/** Case 3, latency: a steady `rate` of posts; commit-to-arrival from the message's timestamp. */
export async function outgoingLatency(server: Hookline, sink: SinkProcess, path: string, rate: number, seconds: number): Promise<LatencyFigures> {
  await sink.reset();
  const posted = await load({ url: postUrl(server), headers: server.auth, body: CHAT_BODY, connections: 16, amount: rate * seconds, overallRate: rate });
  const f = await sink.waitFor(path, posted.ok200, 60_000);
  return { rate, messages: posted.ok200, delivered: f.unique, p50: f.latencyP50, p99: f.latencyP99 };
}

/** The baseline: a plain undici loop posting as many bodies to the sink at the same concurrency. */
export async function undiciBaseline(sink: SinkProcess, path: string, messages: number): Promise<DeliveryFigures> {
  await sink.reset();
  const dispatcher = new Agent({ connections: DELIVERY_CONCURRENCY });
  const url = sink.url(path);
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < messages) {
      next += 1;
      const body = JSON.stringify({ token: 'x'.repeat(24), bot: false, channel_id: 'GENERAL', channel_name: 'general', message_id: randomUUID(), timestamp: new Date().toISOString(), user_id: 'u', user_name: 'bench-admin', text: JSON.parse(CHAT_BODY).text, siteUrl: 'http://localhost:3000' });
      const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher });
      await response.body.text();
    }
  };
  await Promise.all(Array.from({ length: DELIVERY_CONCURRENCY }, worker));
  const f = await sink.waitFor(path, messages, 10_000);
  const seconds = (f.lastAt - started) / 1000;
  await dispatcher.close();
  return {
    messages,
    complete: f.complete,
    delivered: f.unique,
    duplicates: f.duplicates,
    postRps: 0,
    postErrors: 0,
    deliveriesPerSecond: Math.round(f.unique / seconds),
    seconds: Math.round(seconds * 10) / 10,
  };
}
