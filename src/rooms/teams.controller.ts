import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { User } from '../users/entities/user.entity';
import { CreateTeamDto, DeleteTeamDto } from './dto/team.dto';
import { Team } from './entities/team.entity';
import { TeamsService } from './teams.service';

const toApiTeam = (t: Team) => ({
  _id: t.id,
  name: t.name,
  type: t.type,
  roomId: t.roomId,
  createdBy: { _id: t.createdById, username: t.createdByUsername },
  createdAt: t.createdAt.toISOString(),
  _updatedAt: t.updatedAt.toISOString(),
});

@ApiTags('teams')
@ApiLoggedIn()
@Controller('api/v1')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post('teams.create')
  @RequirePermissions('create-team')
  async create(@Body() body: CreateTeamDto, @CurrentUser() me: User) {
    return { team: toApiTeam(await this.teams.create(me, body)), success: true };
  }

  @Post('teams.delete')
  async delete(@Body() body: DeleteTeamDto, @CurrentUser() me: User) {
    await this.teams.deleteNamed(me, body);
    return { success: true };
  }
}
