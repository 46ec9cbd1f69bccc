import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { AjvSchemaPipe } from '../core/http/ajv-schema.pipe';
import { ApiBodySchema, ApiQuerySchema } from '../core/http/api-schema-docs';
import { ApiError } from '../core/http/api-error';
import { resolvePage } from '../core/http/pagination';
import { User } from '../users/entities/user.entity';
import * as schemas from './dto/integration-schemas';
import { Integration } from './entities/integration.entity';
import { toApiHistory } from './history/history.mapper';
import { HistoryService } from './history/history.service';
import { IntegrationInput } from './integration-input';
import { ALL_MANAGE_PERMISSIONS, MANAGE } from './integration-permissions';
import { toApiIntegration } from './integration.mapper';
import { IntegrationsService } from './integrations.service';

interface ListQuery {
  offset?: number | string;
  count?: number | string;
  sort?: string;
  name?: string;
  type?: string;
}

const INTEGRATION_SORT = { name: 'name', type: 'type', enabled: 'enabled', _createdAt: 'createdAt', _updatedAt: 'updatedAt' };
const HISTORY_SORT = { _updatedAt: 'updatedAt', _createdAt: 'createdAt', step: 'step' };

/** The page of a query validated by an AJV schema (numbers may arrive as strings). */
function page(query: ListQuery, sortable: Record<string, string>, fallback: Record<string, 'ASC' | 'DESC'>) {
  const int = (v: number | string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const offset = int(query.offset);
  const count = int(query.count);
  for (const [name, value] of Object.entries({ offset, count })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw ApiError.invalidParams([`/${name} must be a whole number >= 0`]);
  }
  return resolvePage({ offset, count, sort: query.sort }, sortable, fallback);
}

/** `/api/v1/integrations.*` (integrations spec §2). */
@ApiTags('integrations')
@ApiLoggedIn()
@Controller('api/v1')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly history: HistoryService,
  ) {}

  @Post('integrations.create')
  @ApiBodySchema(schemas.createIntegrationSchema)
  @HttpCode(200)
  async create(@Body(new AjvSchemaPipe(schemas.createIntegrationSchema)) body: IntegrationInput, @CurrentUser() me: User) {
    let integration: Integration;
    if (body.type === 'webhook-incoming') integration = await this.integrations.createIncoming(me, body);
    else if (body.type === 'webhook-outgoing') integration = await this.integrations.createOutgoing(me, body);
    else throw ApiError.failure('Invalid integration type.');
    return { integration: toApiIntegration(integration, { withSigningSecret: true }), success: true };
  }

  @Put('integrations.update')
  @ApiBodySchema(schemas.updateIntegrationSchema)
  async update(@Body(new AjvSchemaPipe(schemas.updateIntegrationSchema)) body: IntegrationInput & Record<string, unknown>, @CurrentUser() me: User) {
    let integration: Integration;
    if (body.type === 'webhook-outgoing') {
      const found = body.target_url
        ? await this.integrations.findByUrl(body.target_url)
        : body.integrationId
          ? await this.integrations.findById(body.integrationId)
          : null;
      if (!found) throw ApiError.failure('No integration found.');
      integration = await this.integrations.updateOutgoing(me, found.id, body);
    } else if (body.type === 'webhook-incoming') {
      const found = await this.integrations.findById(String(body.integrationId));
      if (!found) throw ApiError.failure('No integration found.');
      integration = await this.integrations.updateIncoming(me, found.id, body);
    } else {
      throw ApiError.failure('Invalid integration type.');
    }
    return { integration: toApiIntegration(integration), success: true };
  }

  @Get('integrations.get')
  @ApiQuerySchema(schemas.getIntegrationSchema)
  async get(@Query(new AjvSchemaPipe(schemas.getIntegrationSchema, { query: true, typedRouter: true })) query: { integrationId: string; createdBy?: string }, @CurrentUser() me: User) {
    return { integration: toApiIntegration(await this.integrations.get(me, query.integrationId, query.createdBy)), success: true };
  }

  @Get('integrations.list')
  @ApiQuerySchema(schemas.listIntegrationsSchema)
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  async list(@Query(new AjvSchemaPipe(schemas.listIntegrationsSchema, { query: true })) query: ListQuery, @CurrentUser() me: User) {
    const p = page(query, INTEGRATION_SORT, { createdAt: 'DESC' });
    const [integrations, total] = await this.integrations.list(me, { name: query.name, type: query.type }, p);
    return { integrations: integrations.map((i) => toApiIntegration(i)), offset: p.offset, items: integrations.length, count: integrations.length, total, success: true };
  }

  @Post('integrations.remove')
  @ApiBodySchema(schemas.removeIntegrationSchema)
  @HttpCode(200)
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  async remove(@Body(new AjvSchemaPipe(schemas.removeIntegrationSchema)) body: { type: string; integrationId?: string; target_url?: string }, @CurrentUser() me: User) {
    const outgoing = body.type.includes('webhook-outgoing');
    if (outgoing && !body.target_url && !body.integrationId) throw ApiError.failure('An integrationId or target_url needs to be provided.');
    const found =
      outgoing && body.target_url ? await this.integrations.findByUrl(body.target_url) : await this.integrations.findById(String(body.integrationId));
    if (!found) throw ApiError.failure('No integration found.');
    await this.integrations.remove(me, found, outgoing ? 'webhook-outgoing' : 'webhook-incoming');
    return { integration: toApiIntegration(found), success: true };
  }

  @Get('integrations.history')
  @ApiQuerySchema(schemas.integrationHistorySchema)
  @RequirePermissions(MANAGE.allOutgoing, MANAGE.ownOutgoing)
  async listHistory(@Query(new AjvSchemaPipe(schemas.integrationHistorySchema, { query: true })) query: ListQuery & { id: string }, @CurrentUser() me: User) {
    const p = page(query, HISTORY_SORT, { updatedAt: 'DESC' });
    const [history, total] = await this.history.list(me, query.id, p);
    return { history: history.map(toApiHistory), offset: p.offset, items: history.length, count: history.length, total, success: true };
  }

  @Post('integrations.clearHistory')
  @ApiBodySchema(schemas.clearHistorySchema)
  @HttpCode(200)
  async clearHistory(@Body(new AjvSchemaPipe(schemas.clearHistorySchema)) body: { integrationId: string }, @CurrentUser() me: User) {
    await this.history.clear(me, body.integrationId);
    return { success: true };
  }

  @Post('integrations.replayOutgoing')
  @ApiBodySchema(schemas.replayOutgoingSchema)
  @HttpCode(200)
  async replay(@Body(new AjvSchemaPipe(schemas.replayOutgoingSchema)) body: { integrationId: string; historyId: string }, @CurrentUser() me: User) {
    await this.history.replay(me, body.integrationId, body.historyId);
    return { success: true };
  }
}
