import { Hookline } from '../lib/hookline';
import { LoadFigures, warmedLoad } from '../lib/load';
import { CHAT_BODY } from './payloads';

const ROOMS = 100;

/** chat.postMessage into #general for `seconds`. */
export async function postMessageLoad(server: Hookline, seconds: number): Promise<LoadFigures> {
  return warmedLoad({ url: `${server.url}/api/v1/chat.postMessage`, headers: server.auth, body: CHAT_BODY, connections: 64 }, seconds);
}

/**
 * `count` outgoing integrations spread over 100 other channels, created through the API (8 at a
 * time). None of them listens on #general. Returns the seconds it took.
 */
export async function createListenersElsewhere(server: Hookline, count: number, targetUrl: string): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < ROOMS; i += 1) await server.api('POST', 'channels.create', { name: `elsewhere-${i}` });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await server.api('POST', 'integrations.create', {
        type: 'webhook-outgoing',
        name: `listener ${i}`,
        enabled: true,
        event: 'sendMessage',
        username: 'rocket.cat',
        channel: `#elsewhere-${i % ROOMS}`,
        urls: [targetUrl],
        scriptEnabled: false,
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return Math.round((Date.now() - started) / 100) / 10;
}
