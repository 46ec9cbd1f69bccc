import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { resolvePage } from '../core/http/pagination';
import { User } from '../users/entities/user.entity';
import { CreateDirectDto } from './dto/create-direct.dto';
import { CreateRoomDto } from './dto/create-room.dto';
import { RoomMemberDto } from './dto/room-member.dto';
import { RoomRefDto, RoomRefQuery, requireRoomRef } from './dto/room-ref.dto';
import { MembershipService } from './membership.service';
import { Kind, RoomKind } from './room-kind.decorator';
import { toApiRoom } from './room.mapper';
import { RoomsService } from './rooms.service';
import { RoomRequests } from './room-requests';

const ROOM_SORT = { name: 'name', ts: 'createdAt', _id: 'id' };

/** `channels.*` and `groups.*`: one set of rules, two room types. Plus `rooms.info` and `im.create`. */
@ApiTags('rooms')
@ApiLoggedIn()
@Controller('api/v1')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly membership: MembershipService,
    private readonly requests: RoomRequests,
  ) {}

  @Post(['channels.create', 'groups.create'])
  async create(@Kind() kind: RoomKind, @Body() body: CreateRoomDto, @CurrentUser() me: User) {
    return { [kind.key]: toApiRoom(await this.requests.create(me, kind, body)), success: true };
  }

  @Get(['channels.info', 'groups.info'])
  async info(@Kind() kind: RoomKind, @Query() query: RoomRefQuery, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(query), kind.type);
    return { [kind.key]: toApiRoom(room), success: true };
  }

  @Post(['channels.delete', 'groups.delete'])
  async delete(@Kind() kind: RoomKind, @Body() body: RoomRefDto, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(body), kind.type);
    await this.rooms.delete(me, room);
    return { success: true };
  }

  @Post(['channels.archive', 'groups.archive'])
  async archive(@Kind() kind: RoomKind, @Body() body: RoomRefDto, @CurrentUser() me: User) {
    await this.rooms.archive(me, await this.rooms.findForCaller(me, requireRoomRef(body), kind.type));
    return { success: true };
  }

  @Post(['channels.unarchive', 'groups.unarchive'])
  async unarchive(@Kind() kind: RoomKind, @Body() body: RoomRefDto, @CurrentUser() me: User) {
    await this.rooms.unarchive(me, await this.rooms.findForCaller(me, requireRoomRef(body), kind.type));
    return { success: true };
  }

  @Post('channels.join')
  async join(@Body() body: RoomRefDto, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(body), 'c');
    await this.membership.join(me, room);
    return { channel: toApiRoom(room), success: true };
  }

  @Post(['channels.leave', 'groups.leave'])
  async leave(@Kind() kind: RoomKind, @Body() body: RoomRefDto, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(body), kind.type);
    await this.membership.leave(me, room);
    return { [kind.key]: toApiRoom(room), success: true };
  }

  @Post(['channels.invite', 'groups.invite'])
  async invite(@Kind() kind: RoomKind, @Body() body: RoomMemberDto, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, { roomId: body.roomId }, kind.type);
    await this.membership.invite(me, room, await this.requests.memberOf(body));
    return { [kind.key]: toApiRoom(room), success: true };
  }

  @Post(['channels.kick', 'groups.kick'])
  async kick(@Kind() kind: RoomKind, @Body() body: RoomMemberDto, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, { roomId: body.roomId }, kind.type);
    await this.membership.kick(me, room, await this.requests.memberOf(body));
    return { [kind.key]: toApiRoom(room), success: true };
  }

  @Get(['channels.members', 'groups.members'])
  async members(@Kind() kind: RoomKind, @Query() query: RoomRefQuery, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(query), kind.type);
    const page = resolvePage(query, {}, {});
    const [users, total] = await this.membership.members(room, page);
    const members = users.map((u) => ({ _id: u.id, username: u.username, name: u.name, status: 'offline' }));
    return { members, count: members.length, offset: page.offset, total, success: true };
  }

  /** Every public channel. */
  @Get('channels.list')
  async listChannels(@Query() query: RoomRefQuery) {
    const page = resolvePage(query, ROOM_SORT, { name: 'ASC' });
    const [rooms, total] = await this.rooms.listByType('c', page);
    return { channels: rooms.map(toApiRoom), count: rooms.length, offset: page.offset, total, success: true };
  }

  /** The private groups the caller belongs to. */
  @Get('groups.list')
  async listGroups(@Query() query: RoomRefQuery, @CurrentUser() me: User) {
    const page = resolvePage(query, {}, {});
    const [ids, total] = await this.membership.memberOf(me, 'p', page);
    const rooms = await this.rooms.byIds(ids);
    return { groups: rooms.map(toApiRoom), count: rooms.length, offset: page.offset, total, success: true };
  }

  @Get('rooms.info')
  async roomInfo(@Query() query: RoomRefQuery, @CurrentUser() me: User) {
    return { room: toApiRoom(await this.rooms.findAccessible(me, requireRoomRef(query))), success: true };
  }

  @Post('im.create')
  async createDirect(@Body() body: CreateDirectDto, @CurrentUser() me: User) {
    const room = await this.requests.openDirect(me, body.username);
    return { room: { ...toApiRoom(room), rid: room.id }, success: true };
  }
}
