import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../core/config/app-config';
import { storableString, toStorable } from '../../core/http/storable-text';
import { OutgoingHttp, OutgoingResponse } from '../../core/outgoing-http/outgoing-http';
import { Delivery } from '../entities/delivery.entity';
import { Integration } from '../entities/integration.entity';
import { HistoryEntry, HistoryRecorder } from '../history/history-recorder';
import { ScriptSandbox } from '../scripts/script-sandbox';
import { OutgoingReplies } from './outgoing-replies';
import { newSigningSecret, signatureHeaders } from './request-signer';
import { retryDelayMs } from './retry-policy';

/** What became of one attempt: finished (whatever the result), or to be tried again at a time. */
/** How an attempt ended: to be tried again later, or finished (`failed`: without the target taking it). */
export type AttemptOutcome = { retryInMs: number } | { finished: true; failed?: boolean; dropped?: boolean };

const FINISHED: AttemptOutcome = { finished: true };
/** An HTTP call still waiting after this long gets its `pre-http-call` step written, so the history shows it. */
const SHOW_RUNNING_AFTER_MS = 1000;
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36';
const PARSED_TYPES = ['application/json', 'text/javascript', 'application/javascript', 'application/x-javascript'];

interface PreparedRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  data?: unknown;
  auth?: string;
  timeout?: number;
  message?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

/**
 * One attempt of one delivery, step by step as Rocket.Chat's executeTriggerUrl (spec §5.3, steps
 * 1–18), every step written to the attempt's history record.
 */
@Injectable()
export class DeliveryExecutor {
  private readonly logger = new Logger('OutgoingDelivery');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: HistoryRecorder,
    private readonly sandbox: ScriptSandbox,
    private readonly http: OutgoingHttp,
    private readonly replies: OutgoingReplies,
    private readonly config: AppConfig,
  ) {}

  /** `integration` is the delivery's integration as it is now; null when it no longer exists. */
  async attempt(delivery: Delivery, integration: Integration | null): Promise<AttemptOutcome> {
    if (!integration || integration.enabled !== true) {
      this.logger.log(`delivery ${delivery.id}: integration ${delivery.integrationId} is gone or disabled; dropped`);
      return { finished: true, dropped: true };
    }
    const entry = this.history.start(integration, delivery.event);
    try {
      const outcome = await this.run(delivery, integration, entry);
      return 'retryInMs' in outcome ? outcome : { finished: true, failed: entry.failed };
    } finally {
      await entry.save();
    }
  }

  private async run(delivery: Delivery, integration: Integration, entry: HistoryEntry): Promise<AttemptOutcome> {
    const data: Record<string, unknown> = { ...(integration.token ? { token: integration.token } : {}), ...delivery.payload };
    entry.step('mapped-args-to-data', { data, triggerWord: typeof data.trigger_word === 'string' ? data.trigger_word : undefined });

    const opts = await this.prepare(integration, entry, delivery.url, data);
    entry.step('after-maybe-ran-prepare', { ranPrepareScript: true });
    if (!opts) {
      entry.step('after-prepare-no-opts', { finished: true });
      return FINISHED;
    }
    if (opts.message) {
      const sent = await this.replies.post(integration, data, opts.message);
      if (!sent) {
        entry.step('after-prepare-send-message-failed', { finished: true });
        return FINISHED;
      }
      entry.step('after-prepare-send-message', { prepareSentMessage: sent });
    }
    if (!opts.url || !opts.method) {
      entry.step('after-prepare-no-url_or_method', { finished: true });
      return FINISHED;
    }
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth) {
      if (!opts.auth.includes(':')) {
        entry.step('after-prepare-no-url_or_method', { finished: true, error: true, errorStack: 'auth must be "user:password"' });
        return FINISHED;
      }
      headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    }
    entry.step('pre-http-call', { url: opts.url, httpCallData: opts.data ?? null });
    const body = requestBody(opts.data);
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    Object.assign(headers, signatureHeaders(await this.signingSecret(integration), delivery.messageId, body ?? ''));

    let response: OutgoingResponse;
    const stopShowing = entry.saveIfStillRunning(SHOW_RUNNING_AFTER_MS);
    try {
      response = await this.http.send(opts.url, {
        method: opts.method,
        headers,
        body,
        timeoutMs: typeof opts.timeout === 'number' && opts.timeout > 0 ? opts.timeout : this.config.delivery.timeoutMs,
      });
    } catch (error) {
      stopShowing();
      // Rocket.Chat stops here; we retry network errors and timeouts like failed calls.
      entry.step('after-http-call', { httpError: { name: (error as Error).name, message: (error as Error).message }, httpResult: null });
      return this.retry(integration, entry, delivery, opts.url, `failed: ${(error as Error).message}`);
    }
    stopShowing();
    const content = storableString(response.body);
    entry.step('after-http-call', { httpError: null, httpResult: JSON.stringify(content, null, 2) });

    const processed = await this.processResponse(integration, entry, opts, response);
    if (processed) return processed;

    if (!content || ![200, 201, 202].includes(response.status)) {
      if (content && response.status === 410) {
        entry.step('after-process-http-status-410', { error: true });
        await this.dataSource.manager.update(Integration, { id: integration.id }, { enabled: false, updatedAt: new Date() });
        this.logger.warn(`${attemptLabel(integration, delivery, opts.url)} answered 410 Gone: the integration is disabled`);
        return FINISHED;
      }
      if (content && response.status === 500) {
        entry.step('after-process-http-status-500', { error: true });
        this.logger.warn(`${attemptLabel(integration, delivery, opts.url)} answered 500: not tried again (Rocket.Chat's rule)`);
        return FINISHED;
      }
      return this.retry(integration, entry, delivery, opts.url, content ? `answered ${response.status}` : `answered ${response.status} with an empty body`);
    }

    const parsed = this.parse(response);
    if (parsed && typeof parsed === 'object' && ('text' in parsed || 'attachments' in parsed)) {
      const sent = await this.replies.post(integration, data, parsed as Record<string, unknown>);
      if (!sent) {
        entry.step('after-http-call-send-message-failed', { finished: true });
        return FINISHED;
      }
      entry.step('url-response-sent-message', { resultMessage: sent, finished: true });
    }
    return FINISHED;
  }

  /** The request to make: the default one, or what `prepare_outgoing_request` returns (step 6). */
  private async prepare(integration: Integration, entry: HistoryEntry, url: string, data: Record<string, unknown>): Promise<PreparedRequest | undefined> {
    const request: PreparedRequest = { params: {}, method: 'POST', url, data, headers: { 'User-Agent': USER_AGENT } };
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
      return result && typeof result === 'object' ? (result as PreparedRequest) : undefined;
    } catch (error) {
      entry.step(`execute-script-error-running-${method}`, { error: true, errorStack: (error as Error).message });
      return undefined;
    }
  }

  /** `process_outgoing_response` (step 16); an outcome when it decided, else undefined. */
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

  /** §5.7: schedule the next try, or record why there is none; either way one line at warn for the operator. */
  private async retry(integration: Integration, entry: HistoryEntry, delivery: Delivery, url: string, failure: string): Promise<AttemptOutcome> {
    const tries = delivery.attempt;
    const failed = `${attemptLabel(integration, delivery, url)} ${failure}`;
    if (!integration.retryFailedCalls || !integration.retryCount) {
      entry.step('failed-and-not-configured-to-retry', { error: true });
      this.logger.warn(`${failed}: not tried again (the integration does not retry failed calls)`);
      return FINISHED;
    }
    if (tries >= integration.retryCount || !integration.retryDelay) {
      entry.step('too-many-retries', { error: true });
      this.logger.warn(`${failed}: giving up after ${tries + 1} attempts`);
      return FINISHED;
    }
    const delay = retryDelayMs(integration.retryDelay, tries);
    if (delay === undefined) {
      entry.step('failed-and-retry-delay-is-invalid', { error: true, errorStack: "The integration's retryDelay setting is invalid." });
      this.logger.warn(`${failed}: not tried again (its retryDelay "${integration.retryDelay}" is invalid)`);
      return FINISHED;
    }
    const retryInMs = delay * this.config.delivery.retryDelayScale;
    entry.step(`going-to-retry-${tries + 1}`, { error: true });
    this.logger.warn(`${failed}: trying again in ${Math.round(retryInMs)} ms`);
    return { retryInMs };
  }

  /** The integration's secret; integrations made before signing existed get one now. */
  private async signingSecret(integration: Integration): Promise<string> {
    if (integration.signingSecret) return integration.signingSecret;
    const secret = newSigningSecret();
    await this.dataSource.query(`UPDATE integrations SET signing_secret = $2 WHERE id = $1 AND signing_secret IS NULL`, [integration.id, secret]);
    const [row] = await this.dataSource.query(`SELECT signing_secret FROM integrations WHERE id = $1`, [integration.id]);
    return row?.signing_secret ?? secret;
  }

  private parse(response: OutgoingResponse): unknown {
    const type = (response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!PARSED_TYPES.includes(type)) return null;
    try {
      return toStorable(JSON.parse(response.body) as unknown);
    } catch {
      return null;
    }
  }
}

/**
 * The body of a delivery: a string the script prepared goes as it is, anything else as JSON
 * (Rocket.Chat's fetch does the same). Like Rocket.Chat, an empty string sends no body.
 */
function requestBody(data: unknown): string | undefined {
  if (data === undefined || data === null || data === '') return undefined;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/** `integration <id> delivery <id> to <host> attempt <n>`: what an operator needs to find the attempt. */
function attemptLabel(integration: Integration, delivery: Delivery, url: string): string {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = url.slice(0, 100);
  }
  return `integration ${integration.id} delivery ${delivery.id} to ${host} attempt ${delivery.attempt + 1}`;
}
