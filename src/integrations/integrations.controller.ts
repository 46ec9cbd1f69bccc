import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { AjvSchemaPipe } from '../core/http/ajv-schema.pipe';
import { ApiBodySchema, ApiQuerySchema } from '../core/http/api-schema-docs';
import { PageQuery, resolvePage } from '../core/http/pagination';
import { User } from '../users/entities/user.entity';
import * as schemas from './dto/integration-schemas';
import { toApiHistory } from './history/history.mapper';
import { HistoryService, parseSince } from './history/history.service';
import { IntegrationInput } from './integration-input';
import { ALL_MANAGE_PERMISSIONS, MANAGE } from './integration-grants';
import { IntegrationManagement } from './manage/integration-management';
import { toApiIntegration } from './integration.mapper';
import { INCOMING, IntegrationType, OUTGOING } from './entities/integration.entity';
import { toApiIncomingCall } from './incoming/incoming-call.mapper';
import { DryRunInput, DryRunService } from './dry-run/dry-run.service';
import { toApiScriptRevision } from './revisions/script-revision.mapper';
import { ImportBody, ImportIntegrations, importSourceOf, toApiImportLine } from './import/import-integrations';
import { IntegrationExport } from './import/integration-export';
import { EVENT_CATALOG } from './outgoing/event-catalog';

interface ListQuery extends PageQuery {
  name?: string;
  type?: string;
}

type HistoryQuery = ListQuery & { id: string; outcome?: 'ok' | 'error' };

const INTEGRATION_SORT = { name: 'name', type: 'type', enabled: 'enabled', _createdAt: 'createdAt', _updatedAt: 'updatedAt' };
const HISTORY_SORT = { _updatedAt: 'updatedAt', _createdAt: 'createdAt', step: 'step' };

/** `/api/v1/integrations.*` (integrations spec §2). */
@ApiTags('integrations')
@ApiLoggedIn()
@Controller('api/v1')
export class IntegrationsController {
  constructor(
    private readonly manage: IntegrationManagement,
    private readonly history: HistoryService,
    private readonly dryRuns: DryRunService,
    private readonly imports: ImportIntegrations,
    private readonly exports: IntegrationExport,
  ) {}

  @Post('integrations.create')
  @ApiBodySchema(schemas.createIntegrationSchema)
  async create(@Body(new AjvSchemaPipe(schemas.createIntegrationSchema)) body: IntegrationInput, @CurrentUser() me: User) {
    return { integration: toApiIntegration(await this.manage.creating.create(me, body), { withSigningSecret: true }), success: true };
  }

  @Put('integrations.update')
  @ApiBodySchema(schemas.updateIntegrationSchema)
  async update(@Body(new AjvSchemaPipe(schemas.updateIntegrationSchema)) body: IntegrationInput & Record<string, unknown>, @CurrentUser() me: User) {
    return { integration: toApiIntegration(await this.manage.updating.update(me, body)), success: true };
  }

  @Get('integrations.get')
  @ApiQuerySchema(schemas.getIntegrationSchema)
  async get(@Query(new AjvSchemaPipe(schemas.getIntegrationSchema, { query: true, typedRouter: true })) query: { integrationId: string; createdBy?: string }, @CurrentUser() me: User) {
    const { integration, stats } = await this.manage.reads.get(me, query.integrationId, query.createdBy);
    return { integration: toApiIntegration(integration, { stats }), success: true };
  }

  @Get('integrations.list')
  @ApiQuerySchema(schemas.listIntegrationsSchema)
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  async list(@Query(new AjvSchemaPipe(schemas.listIntegrationsSchema, { query: true })) query: ListQuery, @CurrentUser() me: User) {
    const p = resolvePage(query, INTEGRATION_SORT, { createdAt: 'DESC' });
    const [views, total] = await this.manage.reads.list(me, { name: query.name, type: query.type }, p);
    return { integrations: views.map((v) => toApiIntegration(v.integration, { stats: v.stats })), offset: p.offset, items: views.length, count: views.length, total, success: true };
  }

  @Post('integrations.remove')
  @ApiBodySchema(schemas.removeIntegrationSchema)
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  async remove(@Body(new AjvSchemaPipe(schemas.removeIntegrationSchema)) body: { type: string; integrationId?: string; target_url?: string }, @CurrentUser() me: User) {
    return { integration: toApiIntegration(await this.manage.removing.requested(me, body)), success: true };
  }

  /** Rocket.Chat's: outgoing deliveries only, behind the outgoing permissions (an incoming id has none). */
  @Get('integrations.history')
  @ApiQuerySchema(schemas.integrationHistorySchema)
  @RequirePermissions(MANAGE.allOutgoing, MANAGE.ownOutgoing)
  listHistory(@Query(new AjvSchemaPipe(schemas.integrationHistorySchema, { query: true })) query: HistoryQuery, @CurrentUser() me: User) {
    return this.historyPage(me, query, OUTGOING);
  }

  /** Hookline's own: an incoming integration's calls, behind the incoming permissions. */
  @Get('integrations.incomingHistory')
  @ApiQuerySchema(schemas.integrationHistorySchema)
  @RequirePermissions(MANAGE.allIncoming, MANAGE.ownIncoming)
  listIncomingHistory(@Query(new AjvSchemaPipe(schemas.integrationHistorySchema, { query: true })) query: HistoryQuery, @CurrentUser() me: User) {
    return this.historyPage(me, query, INCOMING);
  }

  private async historyPage(me: User, query: HistoryQuery, kind: IntegrationType) {
    const p = resolvePage(query, HISTORY_SORT, { updatedAt: 'DESC' });
    const found = await this.history.list(me, query.id, p, query.outcome, kind);
    const history = found.kind === INCOMING ? found.rows.map(toApiIncomingCall) : found.rows.map(toApiHistory);
    return { history, offset: p.offset, items: history.length, count: history.length, total: found.total, success: true };
  }

  @Post('integrations.clearHistory')
  @ApiBodySchema(schemas.clearHistorySchema)
  async clearHistory(@Body(new AjvSchemaPipe(schemas.clearHistorySchema)) body: { integrationId: string }, @CurrentUser() me: User) {
    await this.history.clear(me, body.integrationId);
    return { success: true };
  }

  /** Hookline's own: the script's revisions, newest first (the permissions of integrations.update). */
  @Get('integrations.revisions')
  @ApiQuerySchema(schemas.scriptRevisionsSchema)
  async revisions(@Query(new AjvSchemaPipe(schemas.scriptRevisionsSchema, { query: true })) query: PageQuery & { integrationId: string }, @CurrentUser() me: User) {
    const p = resolvePage(query, {}, {});
    const [revisions, total] = await this.manage.revisions.list(me, query.integrationId, p);
    return { revisions: revisions.map(toApiScriptRevision), offset: p.offset, count: revisions.length, total, success: true };
  }

  /** Hookline's own: an old revision's script becomes current (as a new revision). */
  @Post('integrations.revert')
  @ApiBodySchema(schemas.revertScriptSchema)
  async revert(@Body(new AjvSchemaPipe(schemas.revertScriptSchema)) body: { integrationId: string; revision: number }, @CurrentUser() me: User) {
    return { integration: toApiIntegration(await this.manage.revisions.revert(me, body.integrationId, body.revision)), success: true };
  }

  /**
   * Hookline's own: runs the stored (or a given, unsaved) script against a sample request and
   * answers what it returned, what it would post or send, and what it logged. Nothing is written.
   */
  @Post('integrations.dryRun')
  @ApiBodySchema(schemas.dryRunSchema)
  async dryRun(@Body(new AjvSchemaPipe(schemas.dryRunSchema)) body: DryRunInput, @CurrentUser() me: User) {
    return { ...(await this.dryRuns.run(me, body)), success: true };
  }

  /** Hookline's own: the seven outgoing events, each with a description, the JSON Schema of its body and an example. */
  @Get('integrations.events')
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  events() {
    return { events: EVENT_CATALOG, success: true };
  }

  /** Hookline's own: Rocket.Chat's integrations (its REST API, or exported documents) imported here; `dryRun` plans only. */
  @Post('integrations.import')
  @ApiBodySchema(schemas.importIntegrationsSchema)
  @RequirePermissions(MANAGE.allIncoming, MANAGE.allOutgoing)
  async import(@Body(new AjvSchemaPipe(schemas.importIntegrationsSchema)) body: ImportBody, @CurrentUser() me: User) {
    const { lines, summary } = await this.imports.importFrom(me, () => importSourceOf(body), body.dryRun === true);
    return { dryRun: body.dryRun === true, integrations: lines.map(toApiImportLine), summary, success: true };
  }

  /** Hookline's own: every integration in Rocket.Chat's stored shape (ids, tokens, scripts), to move back or to another Hookline. */
  @Get('integrations.export')
  @RequirePermissions(MANAGE.allIncoming, MANAGE.allOutgoing)
  async export(@CurrentUser() me: User) {
    await this.imports.assertMayImport(me);
    return { integrations: await this.exports.all(), success: true };
  }

  /** Hookline's own: every delivery that failed for good since `since` (an ISO date), sent again as new deliveries. */
  @Post('integrations.recover')
  @ApiBodySchema(schemas.recoverOutgoingSchema)
  async recover(@Body(new AjvSchemaPipe(schemas.recoverOutgoingSchema)) body: { integrationId: string; since: string }, @CurrentUser() me: User) {
    return { count: await this.history.recover(me, body.integrationId, parseSince(body.since)), success: true };
  }

  /** Hookline's own: a new signing secret; the old one signs beside it for `keepOldForSeconds` (default a day). */
  @Post('integrations.rotateSigningSecret')
  @ApiBodySchema(schemas.rotateSigningSecretSchema)
  async rotateSigningSecret(
    @Body(new AjvSchemaPipe(schemas.rotateSigningSecretSchema)) body: { integrationId: string; keepOldForSeconds?: number },
    @CurrentUser() me: User,
  ) {
    const rotated = await this.manage.rotation.rotate(me, body.integrationId, body.keepOldForSeconds);
    return { signingSecret: rotated.signingSecret, previousSigningSecretExpiresAt: rotated.previousExpiresAt?.toISOString() ?? null, success: true };
  }

  @Post('integrations.replayOutgoing')
  @ApiBodySchema(schemas.replayOutgoingSchema)
  async replay(@Body(new AjvSchemaPipe(schemas.replayOutgoingSchema)) body: { integrationId: string; historyId: string }, @CurrentUser() me: User) {
    await this.history.replay(me, body.integrationId, body.historyId);
    return { success: true };
  }
}
