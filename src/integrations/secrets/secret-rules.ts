import { ApiError } from '../../core/http/api-error';

export const SECRET_NAME = /^[A-Z][A-Z0-9_]*$/;
export const MAX_SECRET_BYTES = 4096;
export const MAX_SECRETS = 50;

/** What a create or update does to an integration's secrets: values to write, names to delete, and the names after. */
export interface SecretChanges {
  set: Map<string, string>;
  remove: string[];
  names: string[];
}

const invalid = (reason: string) => ApiError.meteor('error-invalid-secret', reason);

/**
 * Checks a request's `secrets` against the names an integration has: absent changes nothing; a
 * name mapped to a string sets it, to null deletes it. Every refusal names the secret.
 */
export function planSecrets(input: unknown, current: readonly string[]): SecretChanges {
  const names = new Set(current);
  const changes: SecretChanges = { set: new Map(), remove: [], names: [...current].sort() };
  if (input === undefined || input === null) return changes;
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid('secrets must be an object of names and values');
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    if (!SECRET_NAME.test(name)) throw invalid(`Secret name "${name}" must be capital letters, digits and _, starting with a letter`);
    if (value === null) {
      changes.remove.push(name);
      names.delete(name);
      continue;
    }
    if (typeof value !== 'string') throw invalid(`Secret ${name} must be a string or null`);
    if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) throw invalid(`Secret ${name} is longer than ${MAX_SECRET_BYTES} bytes`);
    changes.set.set(name, value);
    names.add(name);
  }
  if (names.size > MAX_SECRETS) throw invalid(`An integration holds at most ${MAX_SECRETS} secrets`);
  changes.names = [...names].sort();
  return changes;
}
