import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { AjvSchemaPipe } from '../core/http/ajv-schema.pipe';
import { ApiQuerySchema } from '../core/http/api-schema-docs';
import { resolvePage } from '../core/http/pagination';
import { Kind, RoomKind } from '../rooms/room-kind.decorator';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { roomIntegrationsSchema } from './dto/integration-schemas';
import { ALL_MANAGE_PERMISSIONS } from './integration-permissions';
import { toApiIntegration } from './integration.mapper';
import { IntegrationsService } from './integrations.service';
import { IntegrationStats } from './stats/integration-stats';

interface RoomIntegrationsQuery {
  roomId: string;
  offset?: number;
  count?: number;
  includeAllPublicChannels?: 'true' | 'false';
  includeAllPrivateGroups?: 'true' | 'false';
}

/** `channels.getIntegrations` / `groups.getIntegrations`: the integrations aimed at one room. */
@ApiTags('integrations')
@ApiLoggedIn()
@Controller('api/v1')
export class RoomIntegrationsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly integrations: IntegrationsService,
    private readonly stats: IntegrationStats,
  ) {}

  @Get(['channels.getIntegrations', 'groups.getIntegrations'])
  @ApiQuerySchema(roomIntegrationsSchema)
  @RequirePermissions(...ALL_MANAGE_PERMISSIONS)
  async forRoom(
    @Kind() kind: RoomKind,
    @Query(new AjvSchemaPipe(roomIntegrationsSchema, { query: true })) query: RoomIntegrationsQuery,
    @CurrentUser() me: User,
  ) {
    const room = await this.rooms.findForCaller(me, { roomId: query.roomId }, kind.type);
    const keys = [`#${room.id}`, ...(room.name ? [`#${room.name}`] : [])];
    if (kind.type === 'c' && query.includeAllPublicChannels !== 'false') keys.push('all_public_channels');
    if (kind.type === 'p' && query.includeAllPrivateGroups !== 'false') keys.push('all_private_groups');
    const p = resolvePage({ offset: query.offset, count: query.count }, {}, {});
    const [integrations, total] = await this.integrations.forRoom(me, keys, p);
    const stats = await this.stats.of(integrations);
    return { integrations: integrations.map((i) => toApiIntegration(i, { stats: stats.get(i.id) })), count: integrations.length, offset: p.offset, total, success: true };
  }
}
