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
import { ALL_MANAGE_PERMISSIONS } from './integration-grants';
import { toApiIntegration } from './integration.mapper';
import { IntegrationReads } from './manage/integration-reads';

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
    private readonly reads: IntegrationReads,
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
    const p = resolvePage({ offset: query.offset, count: query.count }, {}, {});
    const [views, total] = await this.reads.forRoom(me, room, { publicChannels: query.includeAllPublicChannels !== 'false', privateGroups: query.includeAllPrivateGroups !== 'false' }, p);
    return { integrations: views.map((v) => toApiIntegration(v.integration, { stats: v.stats })), count: views.length, offset: p.offset, total, success: true };
  }
}
