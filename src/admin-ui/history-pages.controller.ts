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
import { ALL_MANAGE_PERMISSIONS } from '../integrations/integration-permissions';
import { IntegrationsService } from '../integrations/integrations.service';
import { IntegrationStats } from '../integrations/stats/integration-stats';
import { User } from '../users/entities/user.entity';
import { UiExceptionFilter } from './ui-exception.filter';
import { offsetOf, pageLinks } from './ui-paging';
import { UiPages } from './ui-pages';
import { UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

const PAGE_SIZE = 50;
const FAILED_STEP = new RegExp(FAILED_STEP_PATTERN);

/**
 * One row of the history list, whichever direction: when, outcome, status (incoming: the answer;
 * outgoing: the attempt's last step, `going-to-retry-N` naming the retry), how long it took, what it was.
 */
function summaryOf(entry: Record<string, unknown>, incoming: boolean) {
  if (incoming) {
    return { id: entry._id, at: entry._createdAt, ok: entry.outcome === 'ok', status: entry.status, durationMs: entry.durationMs, what: `${String(entry.method)} ${entry.bodySize} bytes, script ${String(entry.script)}` };
  }
  const step = String(entry.step);
  const took = Date.parse(String(entry._updatedAt)) - Date.parse(String(entry._createdAt));
  return { id: entry._id, at: entry._createdAt, ok: !entry.error && !FAILED_STEP.test(step), status: step, durationMs: took, what: `${String(entry.event)} → ${String(entry.url ?? '')}` };
}

/** Deliveries of an outgoing integration and calls of an incoming one, with Replay and Clear history. */
@UiRoute()
@UseFilters(UiExceptionFilter)
@RequirePermissions(...ALL_MANAGE_PERMISSIONS)
@Controller('ui/integrations/:id/history')
export class HistoryPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly integrations: IntegrationsService,
    private readonly history: HistoryService,
    private readonly stats: IntegrationStats,
  ) {}

  @Get()
  async list(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Query() query: Record<string, string>) {
    const me = request.user as User;
    const integration = await this.integrations.get(me, id);
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
      stats: (await this.stats.of([integration])).get(integration.id),
      ...pageLinks(offset, PAGE_SIZE, found.total, outcome ? { outcome } : {}),
    });
  }

  @Get(':entryId')
  async entry(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Param('entryId') entryId: string) {
    const me = request.user as User;
    const integration = await this.integrations.get(me, id);
    const found = await this.history.entry(me, id, entryId);
    if (!found) throw ApiError.failure('There is no such history entry (it may have been cleared or pruned).', 404);
    const entry = found.kind === INCOMING ? toApiIncomingCall(found.row) : toApiHistory(found.row);
    return this.pages.render(request, reply, 'history-entry', {
      title: 'History entry',
      integration: { id: integration.id, name: integration.name, type: integration.type },
      incoming: found.kind === INCOMING,
      entry,
      summary: summaryOf(entry, found.kind === INCOMING),
      mayReplay: found.kind !== INCOMING && Boolean(entry.data),
    });
  }

  @Post(':entryId/replay')
  async replay(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string, @Param('entryId') entryId: string) {
    await this.history.replay(request.user as User, id, entryId);
    return this.pages.redirect(request, reply, `/ui/integrations/${id}/history`, 'Replay queued: the delivery is made again and appears here as a new entry.');
  }

  @Post('clear')
  async clear(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    await this.history.clear(request.user as User, id);
    return this.pages.redirect(request, reply, `/ui/integrations/${id}/history`, 'History cleared.');
  }
}
