import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ApiError } from '../core/http/api-error';
import { resolvePage } from '../core/http/pagination';
import { INCOMING } from '../integrations/entities/integration.entity';
import { toApiHistory } from '../integrations/history/history.mapper';
import { FAILED_STEP_PATTERN } from '../integrations/history/history-steps';
import { HistoryService } from '../integrations/history/history.service';
import { toApiIncomingCall } from '../integrations/incoming/incoming-call.mapper';
import { ALL_MANAGE_PERMISSIONS } from '../integrations/integration-grants';
import { IntegrationPermissions } from '../integrations/integration-permissions';
import { IntegrationReads } from '../integrations/manage/integration-reads';
import { User } from '../users/entities/user.entity';
import { UiExceptionFilter } from './ui-exception.filter';
import { offsetOf, pageLinks } from './ui-paging';
import { UiPages } from './ui-pages';
import { formText, UiRequest } from './ui-request';
import { counted } from './plain-words';
import { PostedMessages } from './posted-messages';
import { requestBodyDecoded, responseAsSent } from './shown-bodies';
import { UiRoute } from './ui-route.decorator';
import { asText } from '../core/text/as-text';

const PAGE_SIZE = 50;
const FAILED_STEP = new RegExp(FAILED_STEP_PATTERN);
const DAY_MS = 86_400_000;

/** A `datetime-local` field's value, read as UTC (the page says so); undefined when it is not one. */
function sinceOf(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const since = new Date(`${value}Z`);
  return Number.isNaN(since.getTime()) ? undefined : since;
}

/**
 * One row of the history list, whichever direction: when, outcome, status (incoming: the answer;
 * outgoing: the attempt's last step, `going-to-retry-N` naming the retry), how long it took, what it was.
 */
function summaryOf(entry: Record<string, unknown>, incoming: boolean) {
  if (incoming) {
    return { id: entry._id, at: entry._createdAt, ok: entry.outcome === 'ok', status: entry.status, durationMs: entry.durationMs, what: `${String(entry.method)} ${String(entry.bodySize)} bytes, script ${String(entry.script)}` };
  }
  const step = String(entry.step);
  const took = Date.parse(String(entry._updatedAt)) - Date.parse(String(entry._createdAt));
  return { id: entry._id, at: entry._createdAt, ok: !entry.error && !FAILED_STEP.test(step), status: step, durationMs: took, what: `${String(entry.event)} → ${asText(entry.url)}` };
}

/** Deliveries of an outgoing integration and calls of an incoming one, with Replay and Clear history. */
@UiRoute()
@UseFilters(UiExceptionFilter)
@RequirePermissions(...ALL_MANAGE_PERMISSIONS)
@Controller('ui/integrations/:id/history')
export class HistoryPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly reads: IntegrationReads,
    private readonly grantsOf: IntegrationPermissions,
    private readonly history: HistoryService,
    private readonly posted: PostedMessages,
  ) {}

  @Get()
  async list(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Query() query: Record<string, string>) {
    const me = request.user as User;
    const { integration, stats } = await this.reads.get(me, id);
    const outcome = query.outcome === 'ok' || query.outcome === 'error' ? query.outcome : undefined;
    const offset = offsetOf(query);
    const page = resolvePage({ offset, count: PAGE_SIZE }, {}, { updatedAt: 'DESC' });
    const found = await this.history.list(me, id, page, outcome);
    const incoming = found.kind === INCOMING;
    const entries = incoming ? found.rows.map(toApiIncomingCall) : found.rows.map(toApiHistory);
    return this.pages.render(request, reply, 'history', {
      title: `History of ${integration.name || integration.id}`,
      integration: { id: integration.id, name: integration.name, type: integration.type },
      incoming,
      rows: entries.map((e) => summaryOf(e, incoming)),
      total: found.total,
      outcome: outcome ?? '',
      stats,
      recoverSince: new Date(Date.now() - DAY_MS).toISOString().slice(0, 16),
      ...pageLinks(offset, PAGE_SIZE, found.total, outcome ? { outcome } : {}),
    });
  }

  @Get(':entryId')
  async entry(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Param('entryId') entryId: string) {
    const me = request.user as User;
    // An entry page shows no stats: the permission check alone.
    const integration = await this.grantsOf.readable(me, id);
    const found = await this.history.entry(me, id, entryId);
    if (!found) throw ApiError.failure('There is no such history entry (it may have been cleared or pruned).', 404);
    const entry = found.kind === INCOMING ? toApiIncomingCall(found.row) : toApiHistory(found.row);
    const headers = (found.kind === INCOMING ? found.row.headers : found.row.requestHeaders) ?? null;
    return this.pages.render(request, reply, 'history-entry', {
      title: 'History entry',
      integration: { id: integration.id, name: integration.name, type: integration.type },
      incoming: found.kind === INCOMING,
      entry,
      headers: headers ? Object.entries(headers).map(([name, value]) => ({ name, value })) : null,
      requestShown: found.kind === INCOMING ? requestBodyDecoded(found.row.body, found.row.contentType) : null,
      responseShown: found.kind === INCOMING ? null : responseAsSent(found.row.httpResult),
      posted: found.kind === INCOMING ? await this.posted.of(me, found.row.messageIds) : [],
      summary: summaryOf(entry, found.kind === INCOMING),
      mayReplay: found.kind !== INCOMING && Boolean(entry.data),
    });
  }

  @Post(':entryId/replay')
  async replay(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Param('entryId') entryId: string) {
    await this.history.replay(request.user as User, id, entryId);
    return this.pages.redirect(request, reply, `/ui/integrations/${id}/history`, 'Replay queued: the delivery is made again and appears here as a new entry.');
  }

  /** Every delivery that failed for good since the chosen time, sent again (integrations.recover's service). */
  @Post('recover')
  async recover(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const since = sinceOf(formText(request.body, 'since'));
    if (!since) throw ApiError.failure('Choose the date and time (UTC) to resend failed deliveries from.');
    const count = await this.history.recover(request.user as User, id, since);
    const notice = count ? `${counted(count, 'failed delivery', 'failed deliveries')} since ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC queued again.` : 'No failed delivery since then.';
    return this.pages.redirect(request, reply, `/ui/integrations/${id}/history`, notice);
  }

  @Post('clear')
  async clear(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    await this.history.clear(request.user as User, id);
    return this.pages.redirect(request, reply, `/ui/integrations/${id}/history`, 'History cleared.');
  }
}
