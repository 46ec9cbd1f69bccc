/** What the disable notice needs of an integration. */
export interface DisabledIntegration {
  id: string;
  name: string;
  createdById: string;
  urls: string[] | null;
}

/** The direct message rocket.cat sends an integration's creator when the server turns it off. */
export function disableNotice(integration: DisabledIntegration, why: string): string {
  return [
    `Hookline disabled your outgoing integration *${integration.name}* (\`${integration.id}\`): ${why}.`,
    'Its waiting deliveries are kept. Once the receiver works again, enable the integration (`integrations.update` with `enabled: true`, or the admin UI) and they are delivered, oldest first.',
  ].join('\n');
}

/** The host of an integration's first url, for people to recognise it. */
export function targetHost(urls: string[] | null): string {
  try {
    return new URL(urls?.[0] ?? '').host || 'its target';
  } catch {
    return 'its target';
  }
}
