import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { toStorable } from '../../core/http/storable-text';
import { buildDraft, WebhookPayload } from '../../messages/message-poster';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { INCOMING, Integration } from '../entities/integration.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { HookBody } from '../incoming/hook-body';
import { sampleOutgoingPayloads } from '../incoming/hook-samples';
import { incomingScriptRequest } from '../incoming/script-request';
import { DEFAULT_HEADERS, defaultRequest, PreparedRequest } from '../outgoing/outgoing-request';
import { CompiledScript, ScriptFailure } from '../scripts/compiled-script';
import { compileScript, sourcePosition } from '../scripts/script-compiler';
import { withCustomHeaders } from '../secrets/header-rules';
import { ScriptLogLine, ScriptSandbox } from '../scripts/script-sandbox';
import { readIncomingScriptResult } from '../incoming/incoming-script-result';

/** What to run a dry run against: a sample hook call (incoming) or event and answer (outgoing). */
export interface DryRunInput {
  integrationId: string;
  /** Run this (unsaved) script instead of the stored one. */
  script?: string;
  /** Incoming: `{content, headers, query}` of the hook call. Outgoing: `{data}`, the event's payload. */
  request?: { content?: unknown; headers?: Record<string, unknown>; query?: Record<string, unknown>; data?: Record<string, unknown> };
  /** Outgoing: the target's answer for `process_outgoing_response`: `{status_code, content, headers}`. */
  response?: { status_code?: number; content?: unknown; headers?: Record<string, unknown> };
}

export interface DryRunAnswer {
  method: string;
  result: unknown;
  /** Incoming: the message that would be posted. */
  message?: Record<string, unknown>;
  /** Outgoing: the request that would be sent, and what `process_outgoing_response` made of the sample answer. */
  request?: PreparedRequest | null;
  responseResult?: unknown;
  /** `line`/`column`: where in the script it failed, when known. */
  error?: { code: string; message: string; line?: number; column?: number };
  logs: ScriptLogLine[];
  durationMs: number;
}

const SAMPLE_CONTENT = { text: 'A dry run of this integration' };

/**
 * `integrations.dryRun`: the stored or a given script against a sample, in an isolate of its own.
 * Nothing is written, posted or delivered; the script's own `fetch` keeps the URL policy.
 */
@Injectable()
export class DryRunService {
  constructor(
    private readonly sandbox: ScriptSandbox,
    private readonly users: UsersService,
    private readonly grantsOf: IntegrationPermissions,
  ) {}

  async run(caller: User, input: DryRunInput): Promise<DryRunAnswer> {
    const integration = await this.grantsOf.changeable(caller, input.integrationId);
    const logs: ScriptLogLine[] = [];
    const started = process.hrtime.bigint();
    const answer = (fields: Omit<DryRunAnswer, 'logs' | 'durationMs'>): DryRunAnswer => ({
      ...fields,
      logs,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
    });
    const incoming = integration.type === INCOMING;
    const method = incoming ? 'process_incoming_request' : 'prepare_outgoing_request';
    const source = this.source(integration, input.script);
    if ('error' in source) return answer({ method, result: null, error: source.error });
    try {
      return await this.sandbox.trial(integration, source.compiled, logs, async (script, mask) => {
        const outcome = incoming ? await this.incoming(integration, script, input) : await this.outgoing(integration, script, input);
        // What the script returns may carry a secret (a header it built): answers never show one.
        return answer(maskStrings(outcome, mask));
      });
    } catch (error) {
      const code = error instanceof ScriptFailure ? error.code : 'error-running-script';
      const at = error instanceof ScriptFailure ? this.placeInSource(integration, input.script, error.at) : undefined;
      return answer({ method, result: null, error: { code, message: (error as Error).message, ...at } });
    }
  }

  /** A failure's place in the compiled script, as a place in the script as written. */
  private placeInSource(integration: Integration, script: string | undefined, at: { line: number; column: number } | undefined) {
    if (!at) return undefined;
    if (integration.skipTranspile === true) return at;
    const source = script ?? integration.script;
    return source ? sourcePosition(source, at) : undefined;
  }

  /** The compiled script to run: the given one compiled as a save would, or the stored one. */
  private source(integration: Integration, script: string | undefined): { compiled: string } | { error: { code: string; message: string } } {
    if (script === undefined) {
      if (!integration.scriptCompiled) throw ApiError.meteor('error-no-script', 'The integration has no script to run; give one as `script`');
      return { compiled: integration.scriptCompiled };
    }
    const compiled = compileScript(script, { transpile: integration.skipTranspile !== true });
    if (compiled.scriptError) return { error: { code: 'error-evaluating-script', message: `${compiled.scriptError.name}: ${compiled.scriptError.message}` } };
    return { compiled: compiled.scriptCompiled };
  }

  private async incoming(integration: Integration, script: CompiledScript, input: DryRunInput): Promise<Omit<DryRunAnswer, 'logs' | 'durationMs'>> {
    const method = 'process_incoming_request';
    const user = (await this.users.findById(integration.userId)) ?? ({ id: integration.userId, username: integration.username, name: '' } as User);
    const content = input.request?.content ?? SAMPLE_CONTENT;
    const query = input.request?.query ?? {};
    const request = incomingScriptRequest(
      { method: 'POST', url: `/hooks/${integration.id}/…`, params: { integrationId: integration.id }, query, headers: input.request?.headers ?? {}, body: content as HookBody, rawBody: JSON.stringify(content) },
      user,
    );
    const result = toStorable(await script.call(method, { request }));
    const outcome = readIncomingScriptResult(result);
    if (outcome.kind !== 'post') return { method, result };
    const payload = outcome.content as WebhookPayload;
    const draft = buildDraft(payload, { channel: integration.channel?.join(','), alias: integration.alias ?? '', avatar: integration.avatar ?? '', emoji: integration.emoji ?? '' });
    const channel = (payload as { channel?: unknown }).channel ?? (payload as { roomId?: unknown }).roomId ?? integration.channel;
    return { method, result, message: { ...toStorable(draft), channel } };
  }

  private async outgoing(integration: Integration, script: CompiledScript, input: DryRunInput): Promise<Omit<DryRunAnswer, 'logs' | 'durationMs'>> {
    const method = 'prepare_outgoing_request';
    const data = input.request?.data ?? toStorable(sampleOutgoingPayloads()[0]);
    const fallback = defaultRequest(integration.urls?.[0] ?? 'https://example.invalid/hook', data);
    const prepared = (await script.hasMethod(method)) ? toStorable(await script.call(method, { request: fallback })) : fallback;
    const scripted = prepared && typeof prepared === 'object' ? (prepared as PreparedRequest) : null;
    // The integration's own headers would go too; their values are write-only, so they show as ***.
    const own = Object.fromEntries((integration.headerNames ?? []).map((name) => [name, '***']));
    const request = scripted && Object.keys(own).length ? { ...scripted, headers: withCustomHeaders(scripted.headers ?? {}, DEFAULT_HEADERS, own) } : scripted;
    let responseResult: unknown;
    if (input.response && request && (await script.hasMethod('process_outgoing_response'))) {
      const { status_code = 200, content = '', headers = {} } = input.response;
      const raw = typeof content === 'string' ? content : JSON.stringify(content);
      responseResult = toStorable(await script.call('process_outgoing_response', { request, response: { error: null, status_code, content: raw, content_raw: raw, headers } }));
    }
    return { method, result: prepared ?? null, request, ...(input.response ? { responseResult: responseResult ?? null } : {}) };
  }
}

/** `value` with `mask` applied to every string in it. */
function maskStrings<T>(value: T, mask: (text: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => maskStrings(v, mask)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mask(k), maskStrings(v, mask)])) as T;
  }
  return value;
}
