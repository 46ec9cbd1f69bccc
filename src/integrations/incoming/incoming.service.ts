import { recordedHeaders } from '../history/recorded-headers';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { secretsEqual } from '../../core/ids/secret-compare';
import { MessagePoster, PostFailure, PostResult, WebhookPayload } from '../../messages/message-poster';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { Integration, INCOMING } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { ScriptFailure } from '../scripts/compiled-script';
import { ScriptSandbox } from '../scripts/script-sandbox';
import { HookBody } from './hook-body';
import { readIncomingScriptResult } from './incoming-script-result';
import { IncomingCallLog } from './incoming-call-log';
import { HookRequest, incomingScriptRequest } from './script-request';

/** What the hook endpoint hands over: the request as the script's `request` object needs it (§4.4). */
type HookAnswer = Record<string, unknown>;

/** What a call's record learns along the way. */
interface CallNotes {
  script: 'ok' | 'error' | 'skipped';
  scriptError?: string;
  messageIds: string[];
}

const ok = (extra: Record<string, unknown> = {}): HookAnswer => ({ ...extra, success: true });
/** A failed hook call: `error` is whatever the sender should read (a script may return any value). */
const fail = (error: unknown, status = HttpStatus.BAD_REQUEST, extra: Record<string, unknown> = {}): ApiError =>
  ApiError.raw(status, { success: false, error, ...extra }, 'failed', typeof error === 'string' ? error : (JSON.stringify(error) ?? 'error'));

/** Incoming webhooks: `/hooks/:integrationId/:token` (integrations spec §4). */
@Injectable()
export class IncomingService {
  private readonly logger = new Logger('IncomingWebhook');

  constructor(
    private readonly sandbox: ScriptSandbox,
    private readonly poster: MessagePoster,
    private readonly users: UsersService,
    private readonly integrations: IntegrationStore,
    private readonly calls: IncomingCallLog,
  ) {}

  /**
   * The enabled-or-not incoming integration these credentials open. The token is compared in
   * constant time; a wrong id and a wrong token get the same 401, so neither is confirmed.
   */
  async authenticate(integrationId: string, token: string): Promise<Integration> {
    const integration = await this.integrations.cachedById(integrationId);
    if (integration?.type !== INCOMING || !integration.token || !secretsEqual(integration.token, token)) {
      this.logger.warn(`Invalid integration id ${integrationId} or token`);
      throw ApiError.failure('Invalid integration id or token provided.', HttpStatus.UNAUTHORIZED);
    }
    return integration;
  }

  /**
   * Runs a call (`execute`) and records it in the integration's incoming history, whatever its
   * outcome, a body that cannot be read included (`readBody` throws its 400 here); the record is
   * written later, in a batch, and cannot fail the call.
   */
  async handle(integration: Integration, request: Omit<HookRequest, 'body'>, readBody: () => HookBody | undefined): Promise<HookAnswer> {
    const at = new Date();
    const started = process.hrtime.bigint();
    const notes: CallNotes = { script: 'skipped', messageIds: [] };
    let status: number = HttpStatus.OK;
    let error: string | undefined;
    try {
      return await this.execute(integration, { ...request, body: readBody() }, notes);
    } catch (thrown) {
      status = ApiError.is(thrown) ? thrown.status : HttpStatus.INTERNAL_SERVER_ERROR;
      error = ApiError.is(thrown) ? thrown.message : 'Internal server error';
      throw thrown;
    } finally {
      const contentType = request.headers['content-type'];
      this.calls.record({
        integrationId: integration.id,
        at,
        method: request.method,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        headers: recordedHeaders(request.headers),
        rawBody: request.rawBody,
        ...notes,
        status,
        error,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        keep: integration.hookHistory ?? undefined,
      });
    }
  }

  /** `executeIntegrationRest` (§4.4): the 200 answer's body; a failure is thrown as an ApiError, as `authenticate`'s is. */
  private async execute(integration: Integration, request: HookRequest, notes: CallNotes): Promise<HookAnswer> {
    if (integration.enabled !== true) throw fail('Service Unavailable', HttpStatus.SERVICE_UNAVAILABLE);
    let user = await this.users.cachedById(integration.userId);
    if (!user) throw fail('The user this integration posts as no longer exists [error-invalid-user]');
    // An array body goes to the script as it is; without a script it carries no message fields.
    let body: Record<string, unknown> | undefined = Array.isArray(request.body) ? (request.body.length ? {} : undefined) : request.body;
    const separateResponse = body?.separateResponse === true;
    let scriptResponse: Record<string, unknown> | undefined;

    if (this.sandbox.shouldRun(integration)) {
      let result: unknown;
      try {
        result = await this.sandbox.call(integration, 'process_incoming_request', { request: incomingScriptRequest(request, user) });
      } catch (error) {
        this.logScriptFailure(integration, error);
        notes.script = 'error';
        notes.scriptError = (error as Error).message;
        throw fail('error-running-script');
      }
      notes.script = 'ok';
      const outcome = readIncomingScriptResult(result);
      if (outcome.kind === 'nothing') return ok();
      if (outcome.kind === 'failed') throw fail(outcome.error);
      body = outcome.content;
      if (!('separateResponse' in body)) body.separateResponse = separateResponse;
      scriptResponse = outcome.response;
      if (outcome.user) {
        const chosen = await this.userNamedBy(outcome.user);
        if (!chosen) throw fail('The user returned by the script does not exist [error-invalid-user]');
        user = chosen;
      }
    }

    if (!body || (Object.keys(body).length === 0 && !integration.scriptEnabled)) return ok();
    if ((body.channel || body.roomId) && !integration.overrideDestinationChannelEnabled) {
      throw fail('overriding destination channel is disabled for this integration');
    }
    const payload: WebhookPayload = { ...(body as WebhookPayload), bot: { i: integration.id } };
    const defaults = { channel: integration.channel, alias: integration.alias ?? '', avatar: integration.avatar ?? '', emoji: integration.emoji ?? '' };

    let results: (PostResult | PostFailure)[];
    try {
      results = body.separateResponse === true ? await this.poster.postEach(user, payload, defaults) : await this.poster.post(user, payload, defaults);
    } catch (error) {
      if (ApiError.is(error)) throw fail(error.reason);
      throw error;
    }
    notes.messageIds = results.flatMap((r) => ('message' in r ? [r.message._id] : []));
    if (results.length === 0) throw fail('unknown-error');
    if (scriptResponse) return ok(scriptResponse);
    if (body.separateResponse === true) {
      if (results.every((r) => 'error' in r)) throw fail(undefined, HttpStatus.BAD_REQUEST, { responses: results });
      return ok({ responses: results });
    }
    return ok();
  }

  private async userNamedBy(candidate: unknown): Promise<User | null> {
    if (typeof candidate !== 'object' || candidate === null) return null;
    const { _id, username } = candidate as { _id?: unknown; username?: unknown };
    if (typeof _id === 'string') return this.users.findById(_id);
    return typeof username === 'string' ? this.users.findByExactUsername(username) : null;
  }

  private logScriptFailure(integration: Integration, error: unknown): void {
    const reason = error instanceof ScriptFailure ? `${error.code}: ${error.message}` : String(error);
    this.logger.warn(`integration ${integration.id} (${integration.name}): process_incoming_request failed: ${reason}`);
  }
}
