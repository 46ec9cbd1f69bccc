import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { AppConfig } from '../core/config/app-config';
import { ApiError } from '../core/http/api-error';
import { resolvePage } from '../core/http/pagination';
import { DryRunService } from '../integrations/dry-run/dry-run.service';
import { INCOMING, Integration, IntegrationType, OUTGOING } from '../integrations/entities/integration.entity';
import { ALL_MANAGE_PERMISSIONS } from '../integrations/integration-grants';
import { IntegrationPermissions } from '../integrations/integration-permissions';
import { IntegrationManagement } from '../integrations/manage/integration-management';
import { toApiIntegration } from '../integrations/integration.mapper';
import { OUTGOING_EVENTS } from '../integrations/outgoing-events';
import { toApiScriptRevision } from '../integrations/revisions/script-revision.mapper';
import { randomId } from '../core/ids/random-id';
import { ROCKET_CAT } from '../users/default-users';
import { User } from '../users/entities/user.entity';
import { curlExamples } from './curl-examples';
import { integrationKind } from './plain-words';
import { SECRET_VARIABLE, VERIFICATION_SNIPPETS } from './verification-snippets';
import { scriptErrorPosition } from './script-error-position';
import { editorBundleBuilt } from './ui-assets';
import { checkedCreate, checkedUpdate, exampleOf, fieldErrorOf, formFromInput, formFromIntegration, inputFromForm, sameScript, sampleRequest, typedWriteOnly, typeOf } from './integration-form';
import { disabledByServer } from '../integrations/auto-disable';
import { UiExceptionFilter } from './ui-exception.filter';
import { offsetOf, pageLinks } from './ui-paging';
import { UiPages } from './ui-pages';
import { setFlash, takeFlash } from './ui-flash';
import { formText, UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

const PAGE_SIZE = 50;
const REVISIONS_SHOWN = 20;
/** A test message's answer is shown cut to this many characters (it travels in a cookie). */
const TEST_BODY_SHOWN = 1_000;
const RETRY_DELAYS = ['powers-of-ten', 'powers-of-two', 'increments-of-two'];


/**
 * The integrations list, their forms, the incoming test message and the script's "Try it". Every
 * page needs one of the four integration permissions; the services check each integration.
 */
@UiRoute()
@RequirePermissions(...ALL_MANAGE_PERMISSIONS)
@UseFilters(UiExceptionFilter)
@Controller('ui/integrations')
export class IntegrationsPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly manage: IntegrationManagement,
    private readonly grantsOf: IntegrationPermissions,
    private readonly dryRuns: DryRunService,
    private readonly config: AppConfig,
    private readonly adapter: HttpAdapterHost,
  ) {}

  @Get()
  async list(@Req() request: UiRequest, @Res() reply: FastifyReply, @Query() query: Record<string, string>) {
    const me = request.user as User;
    const type = query.type === INCOMING || query.type === OUTGOING ? query.type : undefined;
    const offset = offsetOf(query);
    const page = resolvePage({ offset, count: PAGE_SIZE }, {}, { createdAt: 'DESC' });
    const [found, total] = await this.manage.reads.list(me, { name: query.name?.trim() || undefined, type }, page);
    const grants = await this.grantsOf.of(me);
    const rows = found.map(({ integration, stats }) => ({ ...toApiIntegration(integration, { stats }), disabledByFailures: disabledByServer(integration) }));
    return this.pages.render(request, reply, 'integrations', {
      title: 'Integrations',
      rows,
      total,
      filter: { type: type ?? '', name: query.name ?? '' },
      mayCreate: { incoming: grants.allIncoming || grants.ownIncoming, outgoing: grants.allOutgoing || grants.ownOutgoing },
      mayImport: grants.allIncoming && grants.allOutgoing,
      ...pageLinks(offset, PAGE_SIZE, total, { ...(type ? { type } : {}), ...(query.name ? { name: query.name } : {}) }),
    });
  }

  @Get('new/:type')
  async newForm(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('type') rawType: string) {
    const type = typeOf(rawType);
    const grants = await this.grantsOf.of(request.user as User);
    if (!grants.all(type) && !grants.own(type)) throw ApiError.forbidden();
    // An outgoing integration needs a token to be updated later (Rocket.Chat's rule): one is proposed.
    const form = { type, enabled: true, username: ROCKET_CAT.username, event: 'sendMessage', scriptEnabled: false, channel: '', token: type === OUTGOING ? randomId(24) : undefined };
    return this.editPage(request, reply, { form, isNew: true });
  }

  @Post('new/:type')
  async create(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('type') rawType: string) {
    const type = typeOf(rawType);
    const input = inputFromForm(type, request.body);
    try {
      const created = await this.manage.creating.create(request.user as User, checkedCreate(input));
      // The signing secret is shown once, on the integration's page the redirect leads to.
      if (created.type === OUTGOING) setFlash(request, reply, pageOf(created.id), { signingSecret: created.signingSecret });
      return this.pages.redirect(request, reply, pageOf(created.id), 'Saved.');
    } catch (error) {
      return this.refused(request, reply, error, { form: { ...formFromInput(input), ...typedWriteOnly(request.body) }, isNew: true });
    }
  }

  @Get(':id')
  async show(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const integration = await this.grantsOf.readable(request.user as User, id);
    const once = takeFlash(request, reply, pageOf(id)) as ShownOnce | undefined;
    return this.editPage(request, reply, { integration, ...once });
  }

  @Post(':id')
  async update(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const me = request.user as User;
    const current = await this.grantsOf.readable(me, id);
    const input = { ...inputFromForm(current.type, request.body), integrationId: id };
    try {
      await this.manage.updating.update(me, checkedUpdate(input));
      return this.pages.redirect(request, reply, `/ui/integrations/${id}`, 'Saved.');
    } catch (error) {
      return this.refused(request, reply, error, { integration: current, form: { ...formFromIntegration(current), ...formFromInput(input), ...typedWriteOnly(request.body) } });
    }
  }

  @Post(':id/enabled')
  async setEnabled(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const enabled = formText(request.body, 'enabled') === 'true';
    const current = await this.manage.updating.setEnabled(request.user as User, id, enabled);
    const back = formText(request.body, 'back') === 'list' ? '/ui/integrations' : `/ui/integrations/${id}`;
    return this.pages.redirect(request, reply, back, `${current.name || 'The integration'} is ${enabled ? 'enabled' : 'disabled'}.`);
  }

  /** Posts through the hook URL itself (in-process), so the test takes the real path: token, script, room. */
  @Post(':id/test')
  async sendTest(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const integration = await this.grantsOf.readable(request.user as User, id);
    if (integration.type !== INCOMING) throw ApiError.failure('Only incoming integrations have a hook URL.');
    const text = formText(request.body, 'text').trim() || 'Test message from Hookline';
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    const answer = await fastify.inject({ method: 'POST', url: `/hooks/${integration.id}/${integration.token}`, payload: { text } });
    const testResult = { ok: answer.statusCode < 400, status: answer.statusCode, body: answer.body.slice(0, TEST_BODY_SHOWN) };
    setFlash(request, reply, pageOf(id), { testResult, testText: text } satisfies ShownOnce);
    return this.pages.redirect(request, reply, `${pageOf(id)}#test-result`);
  }

  /** "Try it": the form's script (saved or not) against the sample request, through integrations.dryRun. Nothing is posted or sent. */
  @Post(':id/try')
  async tryScript(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const me = request.user as User;
    const integration = await this.grantsOf.readable(me, id);
    const sample = formText(request.body, 'sample');
    // Every field as typed, saved or not: Try it must not lose an unsaved edit.
    const form = { ...formFromIntegration(integration), ...formFromInput(inputFromForm(integration.type, request.body)), ...typedWriteOnly(request.body), sample };
    const parsed = sampleRequest(integration.type, sample);
    if ('error' in parsed) return this.editPage(request, reply, { integration, form, tryError: parsed.error }, 400);
    try {
      const answer = await this.dryRuns.run(me, { integrationId: id, script: formText(request.body, 'script'), request: parsed.request });
      // A compile error names its place in the message (Babel's "(3:14)"); a run-time one beside it.
      const tryErrorAt = answer.error ? (answer.error.line ? { line: answer.error.line, column: answer.error.column } : scriptErrorPosition(answer.error)) : null;
      return this.editPage(request, reply, { integration, form, tryResult: answer, tryErrorAt });
    } catch (error) {
      if (!ApiError.is(error)) throw error;
      return this.editPage(request, reply, { integration, form, tryError: error.message }, error.status);
    }
  }

  /** An earlier script revision becomes the current script (as a new revision), through integrations.revert's service. */
  @Post(':id/revert')
  async revert(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const revision = Number.parseInt(formText(request.body, 'revision'), 10);
    await this.manage.revisions.revert(request.user as User, id, revision);
    return this.pages.redirect(request, reply, `/ui/integrations/${id}`, `Script reverted to revision ${revision}.`);
  }

  /** A new signing secret, shown once on this page; the old one keeps signing beside it for a day. */
  @Post(':id/rotate')
  async rotate(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const me = request.user as User;
    const rotated = await this.manage.rotation.rotate(me, id);
    setFlash(request, reply, pageOf(id), { signingSecret: rotated.signingSecret, previousExpiresAt: rotated.previousExpiresAt?.toISOString() ?? null } satisfies ShownOnce);
    return this.pages.redirect(request, reply, pageOf(id), 'A new signing secret was made.');
  }

  @Post(':id/remove')
  async remove(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const me = request.user as User;
    const integration = await this.grantsOf.readable(me, id);
    await this.manage.removing.requested(me, { type: integration.type, integrationId: id });
    return this.pages.redirect(request, reply, '/ui/integrations', `${integration.name || 'The integration'} was removed.`);
  }

  /** As-you-type check of the channel list or the post-as user, with the API's own message. */
  @Get('check/:type/:field')
  async check(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('type') rawType: string, @Param('field') field: string, @Query('value') value = '') {
    if (field !== 'channel' && field !== 'username') throw ApiError.failure('Unknown field.', 404);
    const error = await this.manage.fields.check(request.user as User, typeOf(rawType), field, value);
    return reply.header('cache-control', 'no-store').send({ ok: error === null, error, success: true });
  }

  private async refused(request: UiRequest, reply: FastifyReply, error: unknown, page: EditPage) {
    if (!ApiError.is(error) || error.status === 401 || error.status === 403 || error.denied) throw error;
    const { field, message } = fieldErrorOf(error);
    return this.editPage(request, reply, { ...page, errors: { [field]: message } }, error.status);
  }

  private async editPage(request: UiRequest, reply: FastifyReply, page: EditPage, status = 200) {
    const integration = page.integration;
    const form = page.form ?? (integration ? formFromIntegration(integration) : {});
    const type = (integration?.type ?? form.type) as IntegrationType;
    const stats = integration ? (await this.manage.reads.statsOf(integration)) : undefined;
    const revisions = integration ? (await this.manage.revisions.list(request.user as User, integration.id, resolvePage({ count: REVISIONS_SHOWN }, {}, {})))[0] : [];
    const hookUrl = integration?.type === INCOMING ? `${this.config.rootUrl}/hooks/${integration.id}/${integration.token}` : null;
    // The saved script's compile error, only while the editor holds that script: beside an unsaved edit (Try it, a refused save) it would describe a script not on screen.
    const scriptError = integration?.scriptError && sameScript(form.script, integration.script) ? integration.scriptError : null;
    return this.pages.render(
      request,
      reply,
      'integration',
      {
        title: page.isNew ? `New ${integrationKind(type)}` : integration?.name || 'Integration',
        ...page,
        type,
        incoming: type === INCOMING,
        form,
        action: page.isNew ? `/ui/integrations/new/${type}` : `/ui/integrations/${integration?.id}`,
        saved: integration ? toApiIntegration(integration) : null,
        stats,
        disabledByFailures: integration ? disabledByServer(integration) : false,
        hookUrl,
        curl: hookUrl ? curlExamples(hookUrl) : null,
        scriptError,
        scriptErrorAt: scriptErrorPosition(scriptError),
        revisions: revisions.map((r) => ({ ...toApiScriptRevision(r), current: r.revision === revisions[0]?.revision })),
        // One revision that never held a script is no history worth a section.
        hasScriptHistory: revisions.length > 1 || revisions.some((r) => Boolean(r.script)),
        events: Object.keys(OUTGOING_EVENTS),
        retryDelays: RETRY_DELAYS,
        editor: editorBundleBuilt(),
        eventExample: type === OUTGOING ? exampleOf(form.event) : null,
        snippets: type === OUTGOING ? VERIFICATION_SNIPPETS : [],
        snippetSecret: SECRET_VARIABLE,
        // Try it starts from what this event really sends (the token is added at send time).
        sample: form.sample ?? (type === INCOMING ? '{\n  "text": "Hello from Try it"\n}' : JSON.stringify(exampleOf(form.event) ?? {}, null, 2)),
      },
      status,
    );
  }
}

/** What a post hands the integration's page to show once (ui-flash.ts). */
interface ShownOnce {
  signingSecret?: string | null;
  previousExpiresAt?: string | null;
  testResult?: { ok: boolean; status: number; body: string };
  testText?: string;
}

interface EditPage extends ShownOnce {
  integration?: Integration;
  form?: Record<string, unknown>;
  isNew?: boolean;
  notice?: string;
  errors?: Record<string, string>;
  tryResult?: unknown;
  tryErrorAt?: { line: number; column?: number } | null;
  tryError?: string;
}

const pageOf = (id: string) => `/ui/integrations/${id}`;





