import { Client, loginAsAdmin } from './api';
import { createIntegration, outgoingBody } from './integrations';
import { Sink } from './sink';
import { startTestApp, TestApp } from './test-app';

/** Quick deliveries (short timeout, retries a hundred times faster) for tests that watch a sink. */
export const FAST_DELIVERY = { timeoutMs: 2000, retryDelayScale: 0.01, concurrency: 8, perUrlConcurrency: 4 };

export interface DeliveringApp {
  t: TestApp;
  admin: Client;
  sink: Sink;
}

/** A sink, an app delivering quickly, and its administrator: `({ t, admin, sink } = await startDeliveringApp())`. */
export async function startDeliveringApp(): Promise<DeliveringApp> {
  const sink = await Sink.start();
  const t = await startTestApp({ delivery: FAST_DELIVERY });
  return { t, admin: await loginAsAdmin(t), sink };
}

export async function stopDeliveringApp({ t, sink }: Partial<DeliveringApp>): Promise<void> {
  await t?.close();
  await sink?.close();
}

let rooms = 0;

/** A channel of its own with an outgoing integration delivering to the sink at `path`. */
export async function outgoingInNewRoom({ admin, sink }: DeliveringApp, prefix: string, extra: Record<string, unknown> = {}) {
  rooms += 1;
  const name = `${prefix}-${rooms}`;
  const room = (await admin.post('/api/v1/channels.create', { name }).expect(200)).body.channel;
  const integration = await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}/${name}`], ...extra }));
  return { room, integration, path: `/${name}` };
}
