import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PermissionsService } from '../authorization/permissions.service';
import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { OutboxService } from '../events/outbox.service';
import { User } from '../users/entities/user.entity';
import { toApiUser } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { Room } from './entities/room.entity';
import { Subscription } from './entities/subscription.entity';
import { notAllowed, roomArchived, userNotInRoom } from './room-errors';
import { toApiRoom } from './room.mapper';

/**
 * Who is in which room, and with which room roles. Methods that take an EntityManager run inside
 * the caller's transaction; permission checks happen before a transaction opens, so a transaction
 * holds its connection only for its writes.
 */
@Injectable()
export class MembershipService {
  private readonly memberships: CachedLookup<{ member: boolean }>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly permissions: PermissionsService,
    private readonly users: UsersService,
    changes: ChangeFeed,
  ) {
    this.memberships = new CachedLookup(changes, ['subscriptions']);
  }

  subscription(roomId: string, userId: string, m: EntityManager = this.dataSource.manager): Promise<Subscription | null> {
    return m.findOneBy(Subscription, { roomId, userId });
  }

  /** Every existing user joins `roomId` (#general when it is first made). */
  async joinEveryone(m: EntityManager, roomId: string): Promise<void> {
    await m.query(`INSERT INTO subscriptions (room_id, user_id) SELECT $1, id FROM users ON CONFLICT DO NOTHING`, [roomId]);
  }

  /** Inside a transaction (`m` given) asks the database; outside, memory may answer. */
  async isMember(room: Room, user: User, m?: EntityManager): Promise<boolean> {
    if (m) return (await this.subscription(room.id, user.id, m)) !== null;
    const found = await this.memberships.get(`${room.id} ${user.id}`, async () => ({ member: (await this.subscription(room.id, user.id)) !== null }));
    return found?.member === true;
  }

  /**
   * Rocket.Chat's canAccessRoom: members always; public channels to everyone, except the channels
   * of a private team, which are open to the team's members only; groups and direct messages to
   * their members only.
   */
  async canAccess(user: User, room: Room, m?: EntityManager): Promise<boolean> {
    if (room.type === 'c' && !room.teamId) return true;
    if (await this.isMember(room, user, m)) return true;
    return room.type === 'c' && this.isOpenToInTeam(user, room.teamId as string, m);
  }

  /** A public team's channels are open to all; a private team's to the members of its main room. */
  private async isOpenToInTeam(user: User, teamId: string, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [team]: { type: number; room_id: string }[] = await m.query(`SELECT type, room_id FROM teams WHERE id = $1`, [teamId]);
    if (!team || team.type === 0) return true;
    return (await this.subscription(team.room_id, user.id, m)) !== null;
  }

  /** Whether `user` holds `permissionId`, counting the roles they hold in `room`. */
  async may(user: User, room: Room, permissionId: string): Promise<boolean> {
    return (await this.standing(user, room, [permissionId])).granted.has(permissionId);
  }

  /**
   * Whether `user` is in `room`, and which of `permissionIds` they hold there (their room roles
   * count): one read of the membership and one permission query, for checks that need several.
   */
  async standing(user: User, room: Room, permissionIds: string[]): Promise<{ member: boolean; granted: Set<string> }> {
    const subscription = await this.subscription(room.id, user.id);
    const granted = await this.permissions.granted([...user.roles, ...(subscription?.roles ?? [])], permissionIds);
    return { member: subscription !== null, granted };
  }

  /**
   * Adds `user` to `room` unless already there. Records `roomJoined` when `announce` is set and the
   * user was not a member. Returns whether a membership was created.
   */
  async add(m: EntityManager, room: Room, user: User, { roles = [] as string[], announce = true } = {}): Promise<boolean> {
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(Subscription)
      .values({ roomId: room.id, userId: user.id, roles })
      .orIgnore()
      .execute();
    const created = (inserted.raw as unknown[]).length > 0;
    if (created && announce) {
      await this.outbox.record(m, 'roomJoined', () => ({ room: toApiRoom(room), user: toApiUser(user, { withEmail: false }) }));
    }
    return created;
  }

  /** Removes `user` from `room` and records `roomLeft`; false when they were not a member. */
  async remove(m: EntityManager, room: Room, user: User): Promise<boolean> {
    const result = await m.delete(Subscription, { roomId: room.id, userId: user.id });
    if (!result.affected) return false;
    await this.outbox.record(m, 'roomLeft', () => ({ room: toApiRoom(room), user: toApiUser(user, { withEmail: false }) }));
    return true;
  }

  /** channels.join: public channels only (the caller resolves the room by type). */
  async join(user: User, room: Room): Promise<void> {
    if (room.archived) throw roomArchived('joinRoom');
    if (!(await this.canAccess(user, room))) throw notAllowed('joinRoom');
    await this.dataSource.transaction((m) => this.add(m, room, user));
  }

  async leave(user: User, room: Room): Promise<void> {
    const own = await this.subscription(room.id, user.id);
    if (!own) throw userNotInRoom('leaveRoom');
    if (own.roles.includes('owner')) {
      const [{ owners, members }] = await this.dataSource.query<{ owners: number; members: number }[]>(
        `SELECT count(*) FILTER (WHERE 'owner' = ANY(roles))::int AS owners, count(*)::int AS members FROM subscriptions WHERE room_id = $1`,
        [room.id],
      );
      if (owners === 1 && members > 1) {
        throw ApiError.meteor(
          'error-you-are-last-owner',
          'You are the last owner. Please set new owner before leaving the room.',
          { method: 'leaveRoom' },
        );
      }
    }
    await this.dataSource.transaction((m) => this.remove(m, room, user));
  }

  /** Adds another user; needs add-user-to-any-{c,p}-room, or membership plus add-user-to-joined-room. */
  async invite(actor: User, room: Room, target: User): Promise<void> {
    if (room.archived) throw roomArchived('addUserToRoom');
    const anyRoom = room.type === 'c' ? 'add-user-to-any-c-room' : 'add-user-to-any-p-room';
    const { member, granted } = await this.standing(actor, room, [anyRoom, 'add-user-to-joined-room']);
    if (!granted.has(anyRoom) && !(member && granted.has('add-user-to-joined-room'))) throw notAllowed('addUserToRoom');
    await this.dataSource.transaction((m) => this.add(m, room, target));
  }

  /** Removes another user; needs remove-user (room roles count) or kick-user-from-any-{c,p}-room. */
  async kick(actor: User, room: Room, target: User): Promise<void> {
    const anyRoom = room.type === 'c' ? 'kick-user-from-any-c-room' : 'kick-user-from-any-p-room';
    const { granted } = await this.standing(actor, room, ['remove-user', anyRoom]);
    if (granted.size === 0) throw notAllowed('removeUserFromRoom');
    const removed = await this.dataSource.transaction((m) => this.remove(m, room, target));
    if (!removed) throw userNotInRoom('removeUserFromRoom');
  }

  async members(room: Room, page: Page): Promise<[User[], number]> {
    const [subs, total] = await this.dataSource.manager.findAndCount(Subscription, {
      where: { roomId: room.id },
      order: { createdAt: 'ASC', userId: 'ASC' },
      skip: page.offset,
      take: page.count,
    });
    return [await this.users.findByIds(subs.map((s) => s.userId)), total];
  }

  /** A page (by name) of the ids of the rooms of `type` that `user` belongs to, with their total. */
  async memberOf(user: User, type: Room['type'], page: Page): Promise<[string[], number]> {
    const rows: { room_id: string; total: number }[] = await this.dataSource.query(
      `SELECT s.room_id, count(*) OVER ()::int AS total FROM subscriptions s JOIN rooms r ON r.id = s.room_id
       WHERE s.user_id = $1 AND r.type = $2 ORDER BY lower(r.name) LIMIT $3 OFFSET $4`,
      [user.id, type, page.count, page.offset],
    );
    return [rows.map((r) => r.room_id), rows[0]?.total ?? 0];
  }
}
