import { recordedHeaders } from '../history/recorded-headers';
import { withCustomHeaders } from '../secrets/header-rules';
import { CustomHeaders } from './custom-headers';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { storableString, toStorable } from '../../core/http/storable-text';
import { OutgoingHttp, OutgoingResponse } from '../../core/outgoing-http/outgoing-http';
import { Integration } from '../entities/integration.entity';
import { HistoryEntry, HistoryRecorder } from '../history/history-recorder';
import { AutoDisable } from '../auto-disable';
import { IntegrationStore } from '../integration-store';
import { ScriptSandbox } from '../scripts/script-sandbox';
import { ClaimedDelivery } from './delivery-queue';
import { DeliveryResults } from './delivery-results';
import { DEFAULT_HEADERS, defaultRequest, PreparedRequest, requestBody, requestHeaders } from './outgoing-request';
import { OutgoingReplies } from './outgoing-replies';
import { signatureHeaders, signingSecrets } from './request-signer';
import { classify } from './response-verdict';
import { retryDelayMs } from './retry-policy';

/**
 * How an attempt ended: to be tried again later, or finished (`failed`: without the target taking
 * it; `dropped`: not made at all). `failure`: what went wrong, for the integration's health
 * (`answered 503`, `failed: connect ECONNREFUSED`).
 */
export type AttemptOutcome =
  | { retryInMs: number; failure?: string; paused?: boolean }
  | { finished: true; failed?: boolean; dropped?: boolean; failure?: string };

/** A delivery of a disabled integration waits until it is enabled again (DeliveryQueue.resumeFor). */
const PAUSED: AttemptOutcome = { retryInMs: Number.POSITIVE_INFINITY, paused: true };

/**
 * An attempt's outcome and its history record (none when it was dropped before it started).
 * `broken`: it failed unexpectedly (a bug, or the database gone mid-attempt); the delivery is left
 * to its lease and made again when that runs out.
 */
export type Attempt = { outcome: AttemptOutcome; history?: HistoryEntry } | { broken: Error; history: HistoryEntry };

const FINISHED: AttemptOutcome = { finished: true };

/** An attempt cut short because this process is stopping: the delivery is handed back, not failed. */
export class ProcessStopping extends Error {
  constructor(reason: string) {
    super(`not sent: this process is stopping (${reason})`);
    this.name = 'ProcessStopping';
  }
}

/** undici's errors for a client that was closed or destroyed before or while the request went. */
const clientClosed = (error: Error) => ['UND_ERR_CLOSED', 'UND_ERR_DESTROYED'].includes((error as Error & { code?: string }).code ?? '');
/** An HTTP call still waiting after this long gets its `pre-http-call` step written, so the history shows it. */
const SHOW_RUNNING_AFTER_MS = 1000;
const PARSED_TYPES = ['application/json', 'text/javascript', 'application/javascript', 'application/x-javascript'];

/** A request ready to go: what `prepare` made of the delivery. */
interface ReadyRequest {
  prepared: PreparedRequest;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * One attempt of one delivery, step by step as Rocket.Chat's executeTriggerUrl (spec §5.3, steps
 * 1–18), every step written to the attempt's history record: prepare the request (the script's
 * `prepare_outgoing_request`), send it, let the script's `process_outgoing_response` decide, and
 * otherwise act on what `classify` makes of the answer.
 */
@Injectable()
export class DeliveryExecutor {
  private readonly logger = new Logger('OutgoingDelivery');

  constructor(
    private readonly history: HistoryRecorder,
    private readonly results: DeliveryResults,
    private readonly sandbox: ScriptSandbox,
    private readonly http: OutgoingHttp,
    private readonly replies: OutgoingReplies,
    private readonly store: IntegrationStore,
    private readonly autoDisable: AutoDisable,
    private readonly config: AppConfig,
    private readonly customHeaders: CustomHeaders,
  ) {}

  /** `integration` is the delivery's integration as it is now; null when it no longer exists. */
  async attempt(delivery: ClaimedDelivery, integration: Integration | null): Promise<Attempt> {
    if (!integration) {
      this.logger.log(`delivery ${delivery.id}: integration ${delivery.integrationId} is gone; dropped`);
      return { outcome: { finished: true, dropped: true } };
    }
    if (integration.enabled !== true) {
      this.logger.log(`delivery ${delivery.id}: integration ${delivery.integrationId} is disabled; held until it is enabled again`);
      return { outcome: PAUSED };
    }
    const entry = this.history.start(integration, delivery.event);
    try {
      const outcome = await this.run(delivery, integration, entry);
      return { outcome: 'retryInMs' in outcome ? outcome : { finished: true, failed: entry.failed, failure: outcome.failure }, history: entry };
    } catch (error) {
      return { broken: error as Error, history: entry };
    }
  }

  private async run(delivery: ClaimedDelivery, integration: Integration, entry: HistoryEntry): Promise<AttemptOutcome> {
    const data: Record<string, unknown> = { ...(integration.token ? { token: integration.token } : {}), ...delivery.payload };
    entry.step('mapped-args-to-data', { data, triggerWord: typeof data.trigger_word === 'string' ? data.trigger_word : undefined });
    const request = await this.prepare(integration, entry, delivery, data);
    if (!request) return FINISHED;

    const sent = await this.send(entry, request);
    // This process's HTTP client closed under the attempt (it is stopping): nothing went out, so
    // nothing failed; another process makes the delivery, with the same webhook-id.
    if ('error' in sent && clientClosed(sent.error)) throw new ProcessStopping(sent.error.message);
    if ('error' in sent) {
      // Rocket.Chat stops here; we retry network errors and timeouts like failed calls.
      entry.step('after-http-call', { httpError: { name: sent.error.name, message: sent.error.message }, httpResult: null });
      return this.retry(integration, entry, delivery, request.url, `failed: ${sent.error.message}`);
    }
    const { response } = sent;
    const content = storableString(response.body);
    entry.step('after-http-call', { httpError: null, httpResult: JSON.stringify(content, null, 2) });

    const decided = await this.processResponse(integration, entry, request.prepared, response);
    if (decided) return decided;

    switch (classify(response.status, content)) {
      case 'disable':
        entry.step('after-process-http-status-410', { error: true });
        await this.autoDisable.gone(integration, attemptLabel(integration, delivery, request.url));
        return { finished: true, failure: 'answered 410 Gone' };
      case 'final':
        entry.step('after-process-http-status-500', { error: true });
        this.logger.warn(`${attemptLabel(integration, delivery, request.url)} answered 500: not tried again (Rocket.Chat's rule)`);
        return { finished: true, failure: 'answered 500' };
      case 'retry':
        return this.retry(integration, entry, delivery, request.url, content ? `answered ${response.status}` : `answered ${response.status} with an empty body`);
      case 'ok':
        return this.postReply(integration, entry, data, response);
    }
  }

  /** Steps 1–9: the request to make (the default one, or what `prepare_outgoing_request` returns), or undefined when the attempt ends here. */
  private async prepare(integration: Integration, entry: HistoryEntry, delivery: ClaimedDelivery, data: Record<string, unknown>): Promise<ReadyRequest | undefined> {
    const prepared = await this.runPrepareScript(integration, entry, defaultRequest(delivery.url, data));
    entry.step('after-maybe-ran-prepare', { ranPrepareScript: true });
    if (!prepared) {
      entry.step('after-prepare-no-opts', { finished: true });
      return undefined;
    }
    if (prepared.message) {
      const sent = await this.replies.post(integration, data, prepared.message);
      if (!sent) {
        entry.step('after-prepare-send-message-failed', { finished: true });
        return undefined;
      }
      entry.step('after-prepare-send-message', { prepareSentMessage: sent });
    }
    if (!prepared.url || !prepared.method) {
      entry.step('after-prepare-no-url_or_method', { finished: true });
      return undefined;
    }
    const body = requestBody(prepared.data);
    const own = await this.customHeaders.of(integration);
    const headers = requestHeaders({ ...prepared, headers: withCustomHeaders(prepared.headers ?? {}, DEFAULT_HEADERS, own) }, body);
    if (!headers) {
      entry.step('after-prepare-no-url_or_method', { finished: true, error: true, errorStack: 'auth must be "user:password"' });
      return undefined;
    }
    const secrets = signingSecrets(integration);
    if (!secrets.length) {
      const made = await this.store.ensureSigningSecret(integration.id);
      if (made) secrets.push(made);
    }
    if (secrets.length) Object.assign(headers, signatureHeaders(secrets, delivery.messageId, body ?? ''));
    // The integration's own header values are write-only, and a script may have put one of its
    // secrets in any header: the history keeps none of them.
    const ownNames = new Set(integration.headerNames ?? []);
    const recorded = Object.fromEntries(
      Object.entries(recordedHeaders(headers)).map(([name, value]) => [name, ownNames.has(name) ? '***' : this.sandbox.maskSecrets(integration, value)]),
    );
    entry.step('pre-http-call', { url: prepared.url, httpCallData: prepared.data ?? null, requestHeaders: recorded });
    return { prepared, url: prepared.url, method: prepared.method, headers, body };
  }

  /** Steps 10–15: the HTTP call; a slow one gets its history written while it waits. */
  private async send(entry: HistoryEntry, request: ReadyRequest): Promise<{ response: OutgoingResponse } | { error: Error }> {
    const timeout = request.prepared.timeout;
    const showing = setTimeout(() => void this.results.show(entry).catch(() => undefined), SHOW_RUNNING_AFTER_MS);
    try {
      const response = await this.http.send(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeoutMs: typeof timeout === 'number' && timeout > 0 ? timeout : this.config.delivery.timeoutMs,
      });
      return { response };
    } catch (error) {
      return { error: error as Error };
    } finally {
      clearTimeout(showing);
    }
  }

  /** Step 6, `prepare_outgoing_request`: the request to make, or undefined when the script failed or returned nothing. */
  private async runPrepareScript(integration: Integration, entry: HistoryEntry, request: PreparedRequest): Promise<PreparedRequest | undefined> {
    if (!this.sandbox.shouldRun(integration)) return request;
    const method = 'prepare_outgoing_request';
    try {
      if (!(await this.sandbox.hasMethod(integration, method))) return request;
    } catch (error) {
      entry.step('execute-script-getting-script', { error: true, errorStack: (error as Error).message });
      return undefined;
    }
    entry.step(`execute-script-before-running-${method}`);
    try {
      const result = await this.sandbox.call(integration, method, { request });
      return result && typeof result === 'object' ? result : undefined;
    } catch (error) {
      entry.step(`execute-script-error-running-${method}`, { error: true, errorStack: (error as Error).message });
      return undefined;
    }
  }

  /** Step 16, `process_outgoing_response`: an outcome when the script decided, else undefined. */
  private async processResponse(integration: Integration, entry: HistoryEntry, request: PreparedRequest, response: OutgoingResponse): Promise<AttemptOutcome | undefined> {
    const method = 'process_outgoing_response';
    if (!this.sandbox.shouldRun(integration)) return undefined;
    let result: unknown;
    try {
      if (!(await this.sandbox.hasMethod(integration, method))) return undefined;
      entry.step(`execute-script-before-running-${method}`);
      result = await this.sandbox.call(integration, method, {
        request,
        response: { error: null, status_code: response.status, content: response.body, content_raw: response.body, headers: response.headers },
      });
    } catch (error) {
      entry.step(`execute-script-error-running-${method}`, { error: true, errorStack: (error as Error).message });
      return undefined;
    }
    if (result === false) {
      entry.step('after-process-false-result', { finished: true });
      return FINISHED;
    }
    const content = (result as { content?: unknown } | undefined)?.content;
    if (content && typeof content === 'object') {
      const data = (request.data ?? {}) as Record<string, unknown>;
      const sent = await this.replies.post(integration, data, content as Record<string, unknown>);
      entry.step(sent ? 'after-process-send-message' : 'after-process-send-message-failed', { finished: true, ...(sent ? { processSentMessage: sent } : {}) });
      return FINISHED;
    }
    return undefined;
  }

  /** Step 18: a JSON answer with `text` or `attachments` is posted as a reply. */
  private async postReply(integration: Integration, entry: HistoryEntry, data: Record<string, unknown>, response: OutgoingResponse): Promise<AttemptOutcome> {
    const parsed = parse(response);
    if (parsed && typeof parsed === 'object' && ('text' in parsed || 'attachments' in parsed)) {
      const sent = await this.replies.post(integration, data, parsed);
      if (!sent) {
        entry.step('after-http-call-send-message-failed', { finished: true });
        return FINISHED;
      }
      entry.step('url-response-sent-message', { resultMessage: sent, finished: true });
    }
    return FINISHED;
  }

  /** §5.7: schedule the next try, or record why there is none; either way one line at warn for the operator. */
  private retry(integration: Integration, entry: HistoryEntry, delivery: ClaimedDelivery, url: string, failure: string): AttemptOutcome {
    const tries = delivery.attempt;
    const failed = `${attemptLabel(integration, delivery, url)} ${failure}`;
    if (!integration.retryFailedCalls || !integration.retryCount) {
      entry.step('failed-and-not-configured-to-retry', { error: true });
      this.logger.warn(`${failed}: not tried again (the integration does not retry failed calls)`);
      return { finished: true, failure };
    }
    if (tries >= integration.retryCount || !integration.retryDelay) {
      entry.step('too-many-retries', { error: true });
      this.logger.warn(`${failed}: giving up after ${tries + 1} attempts`);
      return { finished: true, failure };
    }
    const delay = retryDelayMs(integration.retryDelay, tries);
    if (delay === undefined) {
      entry.step('failed-and-retry-delay-is-invalid', { error: true, errorStack: "The integration's retryDelay setting is invalid." });
      this.logger.warn(`${failed}: not tried again (its retryDelay "${integration.retryDelay}" is invalid)`);
      return { finished: true, failure };
    }
    const retryInMs = delay * this.config.delivery.retryDelayScale;
    entry.step(`going-to-retry-${tries + 1}`, { error: true });
    this.logger.warn(`${failed}: trying again in ${Math.round(retryInMs)} ms`);
    return { retryInMs, failure };
  }
}

/** The answer as JSON when its type says JSON (or JavaScript); otherwise, or when it does not parse, null. */
function parse(response: OutgoingResponse): unknown {
  const type = (response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!PARSED_TYPES.includes(type)) return null;
  try {
    return toStorable(JSON.parse(response.body) as unknown);
  } catch {
    return null;
  }
}

/** `integration <id> delivery <id> to <host> attempt <n>`: what an operator needs to find the attempt. */
function attemptLabel(integration: Integration, delivery: ClaimedDelivery, url: string): string {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = url.slice(0, 100);
  }
  return `integration ${integration.id} delivery ${delivery.id} to ${host} attempt ${delivery.attempt + 1}`;
}
