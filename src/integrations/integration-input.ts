/** Bodies as the schemas admit them (integrations spec §2.2, §2.3); optional fields may be null. */
export interface IntegrationInput {
  type: string;
  name: string;
  enabled: boolean;
  username?: string;
  channel: string;
  scriptEnabled: boolean;
  script?: string | null;
  scriptEngine?: string | null;
  skipTranspile?: boolean | null;
  alias?: string | null;
  avatar?: string | null;
  emoji?: string | null;
  overrideDestinationChannelEnabled?: boolean | null;
  event?: string;
  targetRoom?: string | null;
  urls?: string[] | null;
  triggerWords?: string[] | null;
  triggerWordAnywhere?: boolean | null;
  token?: string | null;
  runOnEdits?: boolean | null;
  retryFailedCalls?: boolean | null;
  retryCount?: number | null;
  retryDelay?: string | null;
  impersonateUser?: boolean | null;
  integrationId?: string | null;
  target_url?: string | null;
  /** Hookline's script secrets: name → value, or null to delete (names only ever come back). */
  secrets?: Record<string, string | null> | null;
  /** Hookline's: an outgoing integration's own headers, name → value, or null to remove (names only ever come back). */
  headers?: Record<string, string | null> | null;
  /** Hookline's own, incoming only: which calls the history keeps; null follows HOOK_HISTORY. */
  hookHistory?: 'all' | 'errors' | 'off' | null;
  /** Hookline's own, outgoing only: at most this many deliveries a second; null removes the limit, absent keeps it. */
  deliveryRateLimit?: number | null;
}
