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

/** How one kind of write-only named values is checked: script secrets, an outgoing integration's own headers. */
export interface NamedValueRules {
  invalid: (reason: string) => ApiError;
  /** The refusal of an input that is not an object of names and values. */
  notAnObject: string;
  /** The name a given one is stored under; throws when it may not be set. */
  nameOf(given: string): string;
  /** The refusal of two given names stored under one (possible where names are normalised). */
  givenTwice(given: string): string;
  /** Throws when `value` (not null) may not be stored under `given`. */
  checkValue(given: string, value: unknown): asserts value is string;
  max: number;
  tooMany: string;
}

/**
 * Checks a request's named values against the names an integration has: absent changes nothing;
 * a name mapped to a string sets it, to null deletes it. Every refusal names the value.
 */
export function planNamedValues(input: unknown, current: readonly string[], rules: NamedValueRules): SecretChanges {
  const names = new Set(current);
  const changes: SecretChanges = { set: new Map(), remove: [], names: [...current].sort() };
  if (input === undefined || input === null) return changes;
  if (typeof input !== 'object' || Array.isArray(input)) throw rules.invalid(rules.notAnObject);
  for (const [given, value] of Object.entries(input as Record<string, unknown>)) {
    const name = rules.nameOf(given);
    if (changes.set.has(name) || changes.remove.includes(name)) throw rules.invalid(rules.givenTwice(given));
    if (value === null) {
      changes.remove.push(name);
      names.delete(name);
      continue;
    }
    rules.checkValue(given, value);
    changes.set.set(name, value);
    names.add(name);
  }
  if (names.size > rules.max) throw rules.invalid(rules.tooMany);
  changes.names = [...names].sort();
  return changes;
}

const SECRET_RULES: NamedValueRules = {
  invalid,
  notAnObject: 'secrets must be an object of names and values',
  nameOf(name) {
    if (!SECRET_NAME.test(name)) throw invalid(`Secret name "${name}" must be capital letters, digits and _, starting with a letter`);
    return name;
  },
  givenTwice: (name) => `Secret ${name} is given twice`,
  checkValue(name, value): asserts value is string {
    if (typeof value !== 'string') throw invalid(`Secret ${name} must be a string or null`);
    if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) throw invalid(`Secret ${name} is longer than ${MAX_SECRET_BYTES} bytes`);
  },
  max: MAX_SECRETS,
  tooMany: `An integration holds at most ${MAX_SECRETS} secrets`,
};

/** Checks a request's `secrets` against the names an integration has (planNamedValues). */
export function planSecrets(input: unknown, current: readonly string[]): SecretChanges {
  return planNamedValues(input, current, SECRET_RULES);
}
