import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { uniqueViolation } from '../core/database/unique-violation';
import { ApiError } from '../core/http/api-error';
import { randomId } from '../core/ids/random-id';
import { User } from '../users/entities/user.entity';
import { Team, TeamType } from './entities/team.entity';
import { MembershipService } from './membership.service';
import { notAuthorized } from './room-errors';
import { assertValidRoomName } from './room-name';
import { RoomsService } from './rooms.service';
import { requireExactlyOne } from '../core/http/exactly-one';

const teamNotFound = () => ApiError.meteor('team-does-not-exist', 'Team not found');

/** Minimal teams: a named group of rooms around a main room that carries the team's members. */
@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsService,
    private readonly membership: MembershipService,
  ) {}

  /** Creates the team and its main room (recording `roomCreated`) in one transaction. */
  async create(owner: User, input: { name: string; type: TeamType; members?: string[] }): Promise<Team> {
    assertValidRoomName(input.name);
    const teamId = randomId();
    const roomId = randomId();
    try {
      return await this.dataSource.transaction(async (m) => {
        await m.insert(Team, { id: teamId, name: input.name, type: input.type, roomId, createdById: owner.id, createdByUsername: owner.username });
        await this.rooms.create(
          owner,
          { id: roomId, type: input.type === 0 ? 'c' : 'p', name: input.name, members: input.members, teamId, teamMain: true },
          m,
        );
        return m.findOneByOrFail(Team, { id: teamId });
      });
    } catch (error) {
      if (uniqueViolation(error) === 'teams_name_lower_key') {
        throw ApiError.meteor('team-name-already-exists', `A team named '${input.name}' already exists`);
      }
      throw error;
    }
  }

  /** `teams.delete`: the team named by `teamId` or `teamName` (exactly one), and the rooms named in `roomsToRemove`. */
  async deleteNamed(actor: User, body: { teamId?: string; teamName?: string; roomsToRemove?: string[] }): Promise<void> {
    requireExactlyOne(body, 'teamId', 'teamName');
    await this.delete(actor, await this.find(body), body.roomsToRemove);
  }

  async find(ref: { teamId?: string; teamName?: string }): Promise<Team> {
    const query = this.dataSource.manager.createQueryBuilder(Team, 't');
    if (ref.teamId) query.where('t.id = :id', { id: ref.teamId });
    else query.where('lower(t.name) = lower(:name)', { name: ref.teamName ?? '' });
    const team = await query.getOne();
    if (!team) throw teamNotFound();
    return team;
  }

  /**
   * Deletes the team and its main room (delete-team; owners of the main room hold it there). The
   * team's rooms named in `roomsToRemove` are deleted too; its other rooms stay, without a team.
   */
  async delete(actor: User, team: Team, roomsToRemove: string[] = []): Promise<void> {
    const main = await this.rooms.findById(team.roomId);
    const allowed = main ? await this.membership.may(actor, main, 'delete-team') : false;
    if (!allowed) throw notAuthorized('deleteTeam');
    await this.dataSource.transaction(async (m) => {
      await this.rooms.deleteTeamRooms(m, team, roomsToRemove);
      await m.delete(Team, { id: team.id });
    });
  }
}
