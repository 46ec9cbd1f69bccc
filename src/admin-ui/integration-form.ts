import { ApiError } from '../core/http/api-error';
import { ErrorCode } from '../core/http/error-codes';
import { AjvSchemaPipe } from '../core/http/ajv-schema.pipe';
import * as schemas from '../integrations/dto/integration-schemas';
import { INCOMING, Integration, IntegrationType, OUTGOING } from '../integrations/entities/integration.entity';
import { eventEntry } from '../integrations/outgoing/event-catalog';
import { IntegrationInput } from '../integrations/integration-input';
import { formList, formText } from './ui-request';

type Form = Record<string, unknown> | undefined;

const CHECKBOXES = ['enabled', 'scriptEnabled', 'skipTranspile', 'overrideDestinationChannelEnabled', 'triggerWordAnywhere', 'runOnEdits', 'retryFailedCalls', 'impersonateUser'] as const;

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** `NAME=value` lines set secrets; each ticked `removeSecret` deletes one (values never come back to the page). */
function secretsOf(form: Form): Record<string, string | null> | undefined {
  const secrets: Record<string, string | null> = {};
  for (const line of lines(formText(form, 'secrets'))) {
    const at = line.indexOf('=');
    secrets[at < 0 ? line : line.slice(0, at).trim()] = at < 0 ? '' : line.slice(at + 1);
  }
  for (const name of formList(form, 'removeSecret')) secrets[name] = null;
  return Object.keys(secrets).length ? secrets : undefined;
}

/** `Name: value` lines set an outgoing integration's own headers; each ticked `removeHeader` removes one (values never come back to the page). */
function headersOf(form: Form): Record<string, string | null> | undefined {
  const headers: Record<string, string | null> = {};
  for (const line of lines(formText(form, 'headers'))) {
    const at = line.indexOf(':');
    headers[at < 0 ? line : line.slice(0, at).trim()] = at < 0 ? '' : line.slice(at + 1).trim();
  }
  for (const name of formList(form, 'removeHeader')) headers[name] = null;
  return Object.keys(headers).length ? headers : undefined;
}

/** The API body a create or edit form stands for: the same fields, the same services, the same checks. */
export function inputFromForm(type: IntegrationType, form: Form): IntegrationInput & Record<string, unknown> {
  const checked = Object.fromEntries(CHECKBOXES.map((name) => [name, formText(form, name) !== ''])) as Record<(typeof CHECKBOXES)[number], boolean>;
  const common = {
    type,
    name: formText(form, 'name').trim(),
    enabled: checked.enabled,
    username: formText(form, 'username').trim(),
    channel: formText(form, 'channel').trim(),
    scriptEnabled: checked.scriptEnabled,
    script: formText(form, 'script'),
    scriptEngine: optional(formText(form, 'scriptEngine')),
    skipTranspile: checked.skipTranspile,
    alias: optional(formText(form, 'alias')),
    avatar: optional(formText(form, 'avatar')),
    emoji: optional(formText(form, 'emoji')),
    secrets: secretsOf(form),
  };
  if (type === INCOMING) {
    const history = formText(form, 'hookHistory');
    return {
      ...common,
      overrideDestinationChannelEnabled: checked.overrideDestinationChannelEnabled,
      hookHistory: history === 'all' || history === 'errors' || history === 'off' ? history : null,
    };
  }
  const retryCount = formText(form, 'retryCount').trim();
  const rate = formText(form, 'deliveryRateLimit').trim();
  return {
    ...common,
    event: formText(form, 'event'),
    targetRoom: optional(formText(form, 'targetRoom')),
    urls: lines(formText(form, 'urls')),
    triggerWords: formText(form, 'triggerWords')
      .split(',')
      .map((word) => word.trim())
      .filter(Boolean),
    triggerWordAnywhere: checked.triggerWordAnywhere,
    token: optional(formText(form, 'token')),
    runOnEdits: checked.runOnEdits,
    retryFailedCalls: checked.retryFailedCalls,
    // Not a number (only a hand-made post sends one): the setting is left unset, as when blank.
    retryCount: retryCount === '' || !Number.isFinite(Number(retryCount)) ? undefined : Number(retryCount),
    retryDelay: optional(formText(form, 'retryDelay')),
    // Blank removes the limit; not a number (a hand-made post) leaves it as it is.
    deliveryRateLimit: rate === '' ? null : Number.isFinite(Number(rate)) ? Number(rate) : undefined,
    impersonateUser: checked.impersonateUser,
    headers: headersOf(form),
  };
}

/** A stored integration as its edit form shows it (secrets by name only). */
export function formFromIntegration(i: Integration): Record<string, unknown> {
  return {
    ...i,
    channel: i.channel.join(', '),
    urls: (i.urls ?? []).join('\n'),
    triggerWords: (i.triggerWords ?? []).join(', '),
    secretNames: i.secretNames ?? [],
    secrets: '',
    headerNames: i.headerNames ?? [],
    headers: '',
  };
}

/** A refused form shown again as it was typed (lists back in their text areas). */
export function formFromInput(input: IntegrationInput): Record<string, unknown> {
  return { ...input, urls: (input.urls ?? []).join('\n'), triggerWords: (input.triggerWords ?? []).join(', '), secrets: '', headers: '' };
}

/** Which form field an API error is about, so the page can show it there (unknown: at the top). */
const FIELD_OF_ERROR: Partial<Record<ErrorCode, string>> = {
  'error-invalid-channel': 'channel',
  'error-invalid-room': 'channel',
  'error-invalid-username': 'username',
  'error-invalid-user': 'username',
  'error-invalid-post-as-user': 'username',
  'error-invalid-urls': 'urls',
  'error-invalid-event-type': 'event',
  'error-invalid-token': 'token',
  'error-invalid-targetRoom': 'targetRoom',
  'error-invalid-channel-start-with-chars': 'channel',
  'error-invalid-triggerWords': 'triggerWords',
  'integration-scripts-disabled': 'script',
  'integration-scripts-isolated-vm-disabled': 'script',
  'integration-scripts-vm2-disabled': 'script',
  'error-invalid-header': 'headers',
};

export function fieldErrorOf(error: ApiError): { field: string; message: string } {
  const message = error.message;
  const mapped = FIELD_OF_ERROR[error.code];
  if (mapped) return { field: mapped, message };
  // AJV names the field: "must have required property 'name'", or a path: "/retryCount must be number".
  const named = /property '(\w+)'|^\/(\w+)\b/.exec(message);
  const field = named?.[1] ?? named?.[2] ?? (/secret/i.test(message) ? 'secrets' : undefined);
  return { field: field ?? 'form', message };
}

/** The integration type a page's path names; any other is not found. */
export const typeOf = (type: string): IntegrationType => {
  if (type !== INCOMING && type !== OUTGOING) throw ApiError.failure('Unknown integration type.', 404);
  return type;
};

/** Secrets and headers typed but not saved yet, shown again to the one who typed them after Try it or a refused save (stored values never are). */
export const typedWriteOnly = (body: Record<string, unknown> | undefined) => ({
  secrets: formText(body, 'secrets'),
  removeSecret: formList(body, 'removeSecret'),
  headers: formText(body, 'headers'),
  removeHeader: formList(body, 'removeHeader'),
});

/** Blank optional fields are left out, as a client that did not set them would. */
function withoutEmpty<T extends Record<string, unknown>>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

const createPipe = new AjvSchemaPipe(schemas.createIntegrationSchema);
const updatePipe = new AjvSchemaPipe(schemas.updateIntegrationSchema);

/** A form's input checked by the API's own schema for integrations.create (its messages, its coercions). */
export const checkedCreate = <T extends Record<string, unknown>>(input: T): T => createPipe.transform(withoutEmpty(input)) as T;

/** A form's input checked by the API's own schema for integrations.update. */
export const checkedUpdate = <T extends Record<string, unknown>>(input: T): T => updatePipe.transform(withoutEmpty(input)) as T;

/** Try it's sample (JSON typed in the form) as the request the dry run takes: an incoming call's content or an outgoing event's data. */
export function sampleRequest(type: IntegrationType, sample: string): { request?: { content: unknown } | { data: Record<string, unknown> } } | { error: string } {
  let parsed: unknown;
  try {
    parsed = sample.trim() ? JSON.parse(sample) : undefined;
  } catch (error) {
    return { error: `The sample is not JSON: ${(error as Error).message}` };
  }
  if (parsed === undefined) return {};
  return { request: type === INCOMING ? { content: parsed } : { data: parsed as Record<string, unknown> } };
}

/** Whether two scripts are the same text, whatever line endings a browser's form post gave them. */
export function sameScript(a: unknown, b: unknown): boolean {
  const text = (script: unknown) => (typeof script === 'string' ? script.replace(/\r\n?/g, '\n') : '');
  return text(a) === text(b);
}

/** The catalog's example body of an outgoing event, without the token the integration adds. */
export function exampleOf(event: unknown): Record<string, unknown> | null {
  const entry = typeof event === 'string' ? eventEntry(event) : undefined;
  if (!entry) return null;
  const { token: _token, ...example } = entry.example;
  return example;
}
