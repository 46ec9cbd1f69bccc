import { ApiError } from '../../core/http/api-error';
import { planNamedValues, SecretChanges } from './secret-rules';

/** RFC 9110's token: the characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Headers Hookline sets itself, or that would break the request (framing, the connection). */
const OWNED = new Set(['content-length', 'host', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'webhook-id', 'webhook-timestamp', 'webhook-signature']);
export const MAX_HEADER_BYTES = 4096;
export const MAX_HEADERS = 50;
const MAX_NAME_CHARS = 128;
/** `{{secret:NAME}}` in a value: the integration's script secret NAME, filled in at send time. */
export const SECRET_REFERENCE = /\{\{\s*secret:([A-Z][A-Z0-9_]*)\s*\}\}/g;

const invalid = (reason: string) => ApiError.meteor('error-invalid-header', reason);

/**
 * Checks a request's `headers` (outgoing integrations; Hookline's own) against the names an
 * integration has, as script secrets are checked (planNamedValues). Names are kept in lower case
 * (HTTP's are case-blind). A value may name script secrets, which must exist once the same
 * request is applied.
 */
export function planHeaders(input: unknown, current: readonly string[], secretNames: readonly string[]): SecretChanges {
  return planNamedValues(input, current, {
    invalid,
    notAnObject: 'headers must be an object of header names and values',
    nameOf(given) {
      if (!HEADER_NAME.test(given) || given.length > MAX_NAME_CHARS) throw invalid(`"${given}" is not a valid header name`);
      const name = given.toLowerCase();
      if (OWNED.has(name)) throw invalid(`Hookline sets the ${given} header itself; it cannot be set here`);
      return name;
    },
    // Two spellings of one header (names are case-blind).
    givenTwice: (given) => `The header ${given} is given twice`,
    checkValue(given, value): asserts value is string {
      if (typeof value !== 'string') throw invalid(`The value of the header ${given} must be a string or null`);
      // Beyond CR, LF and NUL: other control characters, and anything past Latin-1 (a NUL in a JSON body arrives as U+FFFD), which HTTP cannot carry.
      if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) throw invalid(`The value of the header ${given} may not hold a line break, NUL or any character a header cannot carry`);
      if (Buffer.byteLength(value, 'utf8') > MAX_HEADER_BYTES) throw invalid(`The value of the header ${given} is longer than ${MAX_HEADER_BYTES} bytes`);
      for (const [, secret] of value.matchAll(SECRET_REFERENCE)) {
        if (!secretNames.includes(secret)) throw invalid(`The header ${given} names the script secret ${secret}, which this integration does not have`);
      }
    },
    max: MAX_HEADERS,
    tooMany: `An integration sends at most ${MAX_HEADERS} headers of its own`,
  });
}

/** The values with their `{{secret:NAME}}` filled in from the script secrets (`SECRET_NAME` → value). */
export function withSecretsFilledIn(headers: Record<string, string>, environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replace(SECRET_REFERENCE, (_, secret: string) => environment[`SECRET_${secret}`] ?? '')]));
}

/**
 * The headers sent: the integration's own over the defaults, under whatever the script set. A
 * header the script left as the default request had it is replaced; one it set or changed stays.
 */
export function withCustomHeaders(sent: Record<string, string>, defaults: Record<string, string>, custom: Record<string, string>): Record<string, string> {
  const out = { ...sent };
  for (const [name, value] of Object.entries(custom)) {
    const existing = Object.keys(out).find((key) => key.toLowerCase() === name);
    if (existing !== undefined) {
      const untouched = Object.entries(defaults).some(([key, original]) => key.toLowerCase() === name && original === out[existing]);
      if (!untouched) continue;
      delete out[existing];
    }
    out[name] = value;
  }
  return out;
}
