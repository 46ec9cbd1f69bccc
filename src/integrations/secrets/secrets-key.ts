import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseSecretsKey } from '../../core/config/value-rules';
import { StartupError } from '../../core/startup-error';

/**
 * The key of the script secrets: SECRETS_KEY, or `$DATA_DIR/secrets.key`, made (mode 0600) the
 * first time it is needed. Servers sharing one database must share the key (set SECRETS_KEY on
 * each). With stored secrets and no key, the server refuses to start rather than lose them.
 */
export function loadSecretsKey(given: string | undefined, dataDir: string, secretsStored: boolean): Buffer {
  if (given !== undefined) {
    const key = parseSecretsKey(given);
    if (!key) throw new StartupError('SECRETS_KEY must be 32 bytes: 64 hex digits or 44 base64 characters (openssl rand -base64 32)');
    return key;
  }
  const missing = (where: string) =>
    new StartupError(`The database holds encrypted script secrets, but there is no key for them (${where}). Set SECRETS_KEY to the key they were written with.`);
  if (dataDir === 'memory://') {
    if (secretsStored) throw missing('DATA_DIR is memory:// and SECRETS_KEY is not set');
    return randomBytes(32);
  }
  const path = join(dataDir, 'secrets.key');
  if (existsSync(path)) {
    const key = parseSecretsKey(readFileSync(path, 'utf8'));
    if (!key) throw new StartupError(`${path} does not hold a secrets key (44 base64 characters); restore it, or set SECRETS_KEY`);
    return key;
  }
  if (secretsStored) throw missing(`neither SECRETS_KEY nor ${path}`);
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
