import { Client } from './api';

export const incomingBody = (extra: Record<string, unknown> = {}) => ({
  type: 'webhook-incoming',
  name: 'Incoming test',
  enabled: true,
  username: 'rocket.cat',
  channel: '#general',
  scriptEnabled: false,
  ...extra,
});

export const outgoingBody = (extra: Record<string, unknown> = {}) => ({
  type: 'webhook-outgoing',
  name: 'Outgoing test',
  enabled: true,
  event: 'sendMessage',
  username: 'rocket.cat',
  channel: '#general',
  urls: ['http://127.0.0.1:9/hook'],
  scriptEnabled: false,
  ...extra,
});

/** Creates through the API and returns the stored integration. */
export async function createIntegration(client: Client, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.post('/api/v1/integrations.create', body);
  if (res.status !== 200) throw new Error(`integrations.create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.integration;
}

/** The error body of a Meteor-style failure: `"<reason> [<code>]"`. */
export const meteorError = (code: string, reason?: string) => ({
  success: false,
  error: reason ? `${reason} [${code}]` : `[${code}]`,
  errorType: code,
});
