import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../core/config/app-config';
import { StartupError } from '../../core/startup-error';
import { SecretCipher } from './secret-cipher';
import { SecretChanges } from './secret-rules';
import { loadSecretsKey } from './secrets-key';

const slot = (integrationId: string, name: string) => `${integrationId}/${name}`;
/** Header rows share the table; script secret names (capitals) never start like this. */
const HEADER_PREFIX = 'header:';

/**
 * The owner of `integration_secrets` (script secrets, and outgoing integrations' own headers): values are sealed (AES-256-GCM) before they are written and
 * opened only for the script sandbox. Nothing here logs a value.
 */
@Injectable()
export class SecretsVault implements OnModuleInit {
  private cipher!: SecretCipher;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Finds the key, and proves it opens what is stored (a wrong key is refused at start, not at a script's first call). */
  async onModuleInit(): Promise<void> {
    const [sample] = await this.dataSource.query<{ integration_id: string; name: string; value: string }[]>(`SELECT integration_id, name, value FROM integration_secrets LIMIT 1`);
    this.cipher = new SecretCipher(loadSecretsKey(this.config.secretsKey, this.config.dataDir, sample !== undefined));
    if (!sample) return;
    try {
      this.cipher.open(sample.value, slot(sample.integration_id, sample.name));
    } catch {
      throw new StartupError('The secrets key (SECRETS_KEY or DATA_DIR/secrets.key) does not open the stored script secrets: give the key they were written with');
    }
  }

  /** Writes `changes` inside the caller's transaction. */
  async write(m: EntityManager, integrationId: string, changes: SecretChanges): Promise<void> {
    if (changes.remove.length) await m.query(`DELETE FROM integration_secrets WHERE integration_id = $1 AND name = ANY($2)`, [integrationId, changes.remove]);
    if (!changes.set.size) return;
    const names = [...changes.set.keys()];
    const sealed = names.map((name) => this.cipher.seal(changes.set.get(name) as string, slot(integrationId, name)));
    await m.query(
      `INSERT INTO integration_secrets (integration_id, name, value) SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS s (n, v)
       ON CONFLICT (integration_id, name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [integrationId, names, sealed],
    );
  }

  /** Writes an outgoing integration's own headers (`header:<name>` rows) inside the caller's transaction. */
  writeHeaders(m: EntityManager, integrationId: string, changes: SecretChanges): Promise<void> {
    const prefixed = (name: string) => `${HEADER_PREFIX}${name}`;
    return this.write(m, integrationId, {
      set: new Map([...changes.set].map(([name, value]) => [prefixed(name), value])),
      remove: changes.remove.map(prefixed),
      names: changes.names.map(prefixed),
    });
  }

  /** The integration's secrets as its scripts see them: `SECRET_<NAME>` → value. */
  async environment(integrationId: string): Promise<Record<string, string>> {
    return (await this.opened(integrationId, false)).environment;
  }

  /** An outgoing integration's own headers (`{{secret:…}}` not yet filled in) and its script secrets, from one read. */
  headersAndEnvironment(integrationId: string): Promise<{ headers: Record<string, string>; environment: Record<string, string> }> {
    return this.opened(integrationId, true);
  }

  /** The integration's rows opened: script secrets as `SECRET_<NAME>`, and header rows by header name when asked (left sealed otherwise). */
  private async opened(integrationId: string, withHeaders: boolean) {
    const rows = await this.dataSource.query<{ name: string; value: string }[]>(`SELECT name, value FROM integration_secrets WHERE integration_id = $1`, [integrationId]);
    const environment: Record<string, string> = {};
    const headers: Record<string, string> = {};
    for (const { name, value } of rows) {
      const isHeader = name.startsWith(HEADER_PREFIX);
      if (isHeader && !withHeaders) continue;
      const plain = this.cipher.open(value, slot(integrationId, name));
      if (isHeader) headers[name.slice(HEADER_PREFIX.length)] = plain;
      else environment[`SECRET_${name}`] = plain;
    }
    return { environment, headers };
  }
}
