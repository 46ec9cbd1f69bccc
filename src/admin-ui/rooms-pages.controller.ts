import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { resolvePage } from '../core/http/pagination';
import { MessagesService } from '../messages/messages.service';
import { Room } from '../rooms/entities/room.entity';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

const MESSAGES_SHOWN = 50;

/** What a room is called on a page: its name, else its display name, else its id (direct messages have neither). */
export const shownRoomName = (room: Room): string => room.name ?? room.fname ?? room.id;

/**
 * A room's newest messages, read-only: where the history's "posted message" links lead. Any
 * logged-in user sees the rooms their own access opens (public channels, rooms they are in).
 */
@UiRoute()
@UseFilters(UiExceptionFilter)
@Controller('ui/rooms')
export class RoomsPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
  ) {}

  @Get(':id')
  async show(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const room = await this.rooms.findAccessible(request.user as User, { roomId: id });
    const [messages, total] = await this.messages.list(room, resolvePage({ count: MESSAGES_SHOWN }, {}, {}));
    const name = shownRoomName(room);
    return this.pages.render(request, reply, 'room', { title: `#${name}`, room: { id: room.id, name }, messages, total });
  }
}
