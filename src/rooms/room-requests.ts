import { Injectable } from '@nestjs/common';
import { PermissionsService } from '../authorization/permissions.service';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { CreateRoomDto } from './dto/create-room.dto';
import { RoomMemberDto } from './dto/room-member.dto';
import { Room } from './entities/room.entity';
import { RoomKind } from './room-kind.decorator';
import { RoomsService } from './rooms.service';

/** The rules the rooms API applies before the rooms service acts: who may create, and whom a member call names. */
@Injectable()
export class RoomRequests {
  constructor(
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  /** `channels.create` / `groups.create`: the kind's create permission first. */
  async create(me: User, kind: RoomKind, body: CreateRoomDto): Promise<Room> {
    if (!(await this.permissions.hasPermission(me, kind.createPermission))) throw ApiError.forbidden();
    return this.rooms.create(me, { type: kind.type, name: body.name, members: body.members, readOnly: body.readOnly, teamId: body.extraData?.teamId });
  }

  /** `im.create`: needs create-d, and a user by that name. */
  async openDirect(me: User, username: string): Promise<Room> {
    if (!(await this.permissions.hasPermission(me, 'create-d'))) throw ApiError.forbidden();
    const other = await this.users.findByUsername(username);
    if (!other) throw ApiError.meteor('error-invalid-user', 'Invalid user', { method: 'createDirectMessage' });
    return this.rooms.openDirect(me, other);
  }

  /** The user an invite or kick names, by `userId` or `username` (exactly one). */
  async memberOf(body: RoomMemberDto): Promise<User> {
    const user = await this.users.findNamed(body);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user', { method: 'addUserToRoom' });
    return user;
  }
}
