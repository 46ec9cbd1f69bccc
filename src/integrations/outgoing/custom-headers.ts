import { Injectable } from '@nestjs/common';
import { Integration } from '../entities/integration.entity';
import { withSecretsFilledIn } from '../secrets/header-rules';
import { SecretsVault } from '../secrets/secrets-vault';

const NONE: Readonly<Record<string, string>> = Object.freeze({});
/** Integrations whose opened headers are kept; past this the oldest goes. */
const CACHED = 1_000;

/**
 * An outgoing integration's own headers as sent: opened from the vault and with their
 * `{{secret:NAME}}` filled in, once per version of the integration (a change of its headers or
 * secrets makes a new one). An integration without own headers costs no query.
 */
@Injectable()
export class CustomHeaders {
  private readonly cache = new Map<string, { version: number; headers: Promise<Record<string, string>> }>();

  constructor(private readonly vault: SecretsVault) {}

  of(integration: Integration): Promise<Readonly<Record<string, string>>> {
    if (!integration.headerNames?.length) return Promise.resolve(NONE);
    const version = integration.updatedAt.getTime();
    const cached = this.cache.get(integration.id);
    if (cached?.version === version) return cached.headers;
    const headers = this.vault.headersAndEnvironment(integration.id).then(({ headers: own, environment }) => withSecretsFilledIn(own, environment));
    this.cache.delete(integration.id);
    this.cache.set(integration.id, { version, headers });
    headers.catch(() => this.cache.delete(integration.id));
    if (this.cache.size > CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return headers;
  }
}
