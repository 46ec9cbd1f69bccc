import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { uniqueViolation } from '../core/database/unique-violation';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { randomId } from '../core/ids/random-id';
import { OutboxService } from '../events/outbox.service';
import { User } from '../users/entities/user.entity';
import { toApiUser } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { Room, RoomType } from './entities/room.entity';
import { Team } from './entities/team.entity';
import { MembershipService } from './membership.service';
import { notAuthorized, roomArchived, roomNotFound } from './room-errors';
import { assertValidRoomName, duplicateRoomName } from './room-name';
import { toApiRoom } from './room.mapper';

export interface NewRoom {
  /** Chosen by the caller when something must point at the room before it exists (a team). */
  id?: string;
  type: 'c' | 'p';
  name: string;
  /** Usernames to add besides the owner; unknown ones are skipped, as Rocket.Chat does. */
  members?: string[];
  readOnly?: boolean;
  teamId?: string;
  teamMain?: boolean;
}

/** How a caller names a room: by id or by name. */
export interface RoomRef {
  roomId?: string;
  roomName?: string;
}

@Injectable()
export class RoomsService implements OnModuleInit {
  private readonly byRef: CachedLookup<Room>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly membership: MembershipService,
    private readonly outbox: OutboxService,
    private readonly users: UsersService,
    changes: ChangeFeed,
  ) {
    this.byRef = new CachedLookup(changes, ['rooms']);
  }

  onModuleInit(): void {
    this.users.onUserCreated(async (m, user, { joinDefaultChannels }) => {
      if (!joinDefaultChannels) return;
      for (const room of await m.findBy(Room, { isDefault: true })) {
        await this.membership.add(m, room, user, { announce: false });
      }
    });
  }

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<Room | null> {
    return m.findOneBy(Room, { id });
  }

  /** A channel or group by id, else by name (any case); direct messages have no name. */
  findByIdOrName(ref: string, m: EntityManager = this.dataSource.manager): Promise<Room | null> {
    return m
      .createQueryBuilder(Room, 'r')
      .where(`r.id = :ref OR (lower(r.name) = lower(:ref) AND r.type IN ('c', 'p'))`, { ref })
      .orderBy('r.id = :ref', 'DESC')
      .getOne();
  }

  /** Like findByIdOrName, from memory when possible (read-only: the room is shared between requests). */
  cachedByIdOrName(ref: string): Promise<Room | null> {
    return this.byRef.get(ref, () => this.findByIdOrName(ref));
  }

  /** `#x` in an integration's channel list: a room whose id or (exact, case-sensitive) name is x. */
  findByIdOrExactName(ref: string): Promise<Room | null> {
    return this.dataSource.manager.createQueryBuilder(Room, 'r').where('r.id = :ref OR r.name = :ref', { ref }).getOne();
  }

  /**
   * The channel (`c`) or group (`p`) a caller names. A group the caller is not in answers as not
   * found, so its existence does not leak.
   */
  async findForCaller(user: User, ref: RoomRef, type: 'c' | 'p'): Promise<Room> {
    const query = this.dataSource.manager.createQueryBuilder(Room, 'r').where('r.type = :type', { type });
    if (ref.roomId) query.andWhere('r.id = :id', { id: ref.roomId });
    else query.andWhere('lower(r.name) = lower(:name)', { name: ref.roomName ?? '' });
    const room = await query.getOne();
    if (!room || (type === 'p' && !(await this.membership.isMember(room, user)))) throw roomNotFound(type);
    return room;
  }

  /** Any room the caller may see (rooms.info): public channels, or rooms they are in. */
  async findAccessible(user: User, ref: RoomRef): Promise<Room> {
    const room = ref.roomId ? await this.findById(ref.roomId) : await this.findByIdOrName(ref.roomName ?? '');
    if (!room || !(await this.membership.canAccess(user, room))) throw roomNotFound('d');
    return room;
  }

  /** Creates a channel or group owned by `owner`, with its members, and records `roomCreated`. */
  async create(owner: User, input: NewRoom, outer?: EntityManager): Promise<Room> {
    assertValidRoomName(input.name);
    if (input.teamId && !outer) await this.assertMayAddToTeam(owner, input.teamId);
    const work = async (m: EntityManager) => {
      const room = m.create(Room, {
        id: input.id ?? randomId(),
        type: input.type,
        name: input.name,
        fname: input.name,
        ownerId: owner.id,
        ownerUsername: owner.username,
        readOnly: input.readOnly ?? false,
        teamId: input.teamId ?? null,
        teamMain: input.teamMain ?? false,
      });
      await m.insert(Room, room);
      const saved = await m.findOneByOrFail(Room, { id: room.id });
      await this.membership.add(m, saved, owner, { roles: ['owner'], announce: false });
      const others = (input.members ?? []).filter((u) => u.toLowerCase() !== owner.username.toLowerCase());
      if (others.length) {
        const found = await m
          .createQueryBuilder(User, 'u')
          .where('lower(u.username) IN (:...names)', { names: others.map((u) => u.toLowerCase()) })
          .getMany();
        for (const member of found) await this.membership.add(m, saved, member, { announce: false });
      }
      await this.outbox.record(m, 'roomCreated', () => ({ room: toApiRoom(saved), owner: toApiUser(owner, { withEmail: false }) }));
      return saved;
    };
    try {
      return outer ? await work(outer) : await this.dataSource.transaction(work);
    } catch (error) {
      if (uniqueViolation(error) === 'rooms_name_lower_key') throw duplicateRoomName(input.name);
      throw error;
    }
  }

  /** Rooms join a team only through a member of the team's main room. */
  private async assertMayAddToTeam(user: User, teamId: string): Promise<void> {
    const team = await this.dataSource.manager.findOneBy(Team, { id: teamId });
    const main = team && (await this.findById(team.roomId));
    if (!main || !(await this.membership.isMember(main, user))) {
      throw ApiError.meteor('error-team-not-found', 'Team not found, or you are not one of its members', { method: 'createRoom' });
    }
  }

  /** Archives a room (archive-room, room roles count) and records `roomArchived`. */
  async archive(actor: User, room: Room): Promise<Room> {
    if (!(await this.membership.may(actor, room, 'archive-room'))) throw notAuthorized('archiveRoom');
    if (room.archived) throw roomArchived('archiveRoom');
    return this.dataSource.transaction(async (m) => {
      await m.update(Room, { id: room.id }, { archived: true });
      const archived = await m.findOneByOrFail(Room, { id: room.id });
      await this.outbox.record(m, 'roomArchived', () => ({ room: toApiRoom(archived), user: toApiUser(actor, { withEmail: false }) }));
      return archived;
    });
  }

  async unarchive(actor: User, room: Room): Promise<void> {
    if (!(await this.membership.may(actor, room, 'unarchive-room'))) throw notAuthorized('unarchiveRoom');
    await this.dataSource.manager.update(Room, { id: room.id }, { archived: false });
  }

  /** Deletes a room with its messages and memberships (delete-c / delete-p, room roles count). */
  async delete(actor: User, room: Room): Promise<void> {
    const permission = room.type === 'c' ? 'delete-c' : room.type === 'p' ? 'delete-p' : 'delete-d';
    if (!(await this.membership.may(actor, room, permission))) throw notAuthorized('eraseRoom');
    if (room.isDefault) {
      throw ApiError.meteor('error-action-not-allowed', 'The default room cannot be deleted', { method: 'eraseRoom' });
    }
    await this.dataSource.manager.delete(Room, { id: room.id });
  }

  /** A team's deletion: its main room, and those of its other rooms named in `roomsToRemove`. */
  async deleteTeamRooms(m: EntityManager, team: Pick<Team, 'id' | 'roomId'>, roomsToRemove: string[]): Promise<void> {
    if (roomsToRemove.length) await m.delete(Room, { id: In(roomsToRemove), teamId: team.id, teamMain: false });
    await m.delete(Room, { id: team.roomId });
  }

  /** Creates #general (id `id`) unless it exists, safe across processes; whether this call created it. */
  async createGeneral(m: EntityManager, id: string): Promise<boolean> {
    const created: unknown[] = await m.query(
      `INSERT INTO rooms (id, type, name, fname, is_default) VALUES ($1, 'c', 'general', 'general', true) ON CONFLICT DO NOTHING RETURNING id`,
      [id],
    );
    return created.length > 0;
  }

  async listByType(type: RoomType, page: Page): Promise<[Room[], number]> {
    return this.dataSource.manager.findAndCount(Room, { where: { type }, order: page.order, skip: page.offset, take: page.count });
  }

  async byIds(ids: string[]): Promise<Room[]> {
    if (!ids.length) return [];
    const found = new Map((await this.dataSource.manager.findBy(Room, { id: In(ids) })).map((r) => [r.id, r]));
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** The direct-message room of two users, created on first use (its id joins their sorted ids). */
  async openDirect(user: User, other: User, outer?: EntityManager): Promise<Room> {
    const pair = [user, other].sort((a, b) => (a.id < b.id ? -1 : 1));
    const id = pair.map((u) => u.id).join('');
    const work = async (m: EntityManager) => {
      await m
        .createQueryBuilder()
        .insert()
        .into(Room)
        .values({ id, type: 'd', uids: pair.map((u) => u.id), usernames: pair.map((u) => u.username) })
        .orIgnore()
        .execute();
      const room = await m.findOneByOrFail(Room, { id });
      for (const member of pair) await this.membership.add(m, room, member, { announce: false });
      return room;
    };
    return outer ? work(outer) : this.dataSource.transaction(work);
  }
}
