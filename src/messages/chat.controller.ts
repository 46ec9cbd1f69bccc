import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { resolvePage } from '../core/http/pagination';
import { requireRoomRef } from '../rooms/dto/room-ref.dto';
import { Kind, RoomKind } from '../rooms/room-kind.decorator';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { DeleteMessageDto, UpdateMessageDto } from './dto/edit-message.dto';
import { HistoryQuery } from './dto/history.query';
import { PostMessageDto } from './dto/post-message.dto';
import { SendMessageDto } from './dto/send-message.dto';
import { toApiMessage } from './message.mapper';
import { MessagesService } from './messages.service';
import { SendMessage } from './send-message';

@ApiTags('messages')
@ApiLoggedIn()
@Controller('api/v1')
export class ChatController {
  constructor(
    private readonly messages: MessagesService,
    private readonly sending: SendMessage,
    private readonly rooms: RoomsService,
  ) {}

  @Post('chat.postMessage')
  async postMessage(@Body() body: PostMessageDto, @CurrentUser() me: User) {
    const first = await this.sending.postMessage(me, body);
    return { ts: Date.parse(first.message.ts), channel: first.channel, message: first.message, success: true };
  }

  @Post('chat.sendMessage')
  async sendMessage(@Body() { message }: SendMessageDto, @CurrentUser() me: User) {
    return { message: toApiMessage(await this.sending.sendMessage(me, message)), success: true };
  }

  @Post('chat.update')
  async update(@Body() body: UpdateMessageDto, @CurrentUser() me: User) {
    const message = await this.messages.findInRoom(body.roomId, body.msgId);
    const room = await this.rooms.findAccessible(me, { roomId: body.roomId });
    const edited = await this.messages.update(me, room, message, body.text);
    return { message: toApiMessage(edited), success: true };
  }

  @Post('chat.delete')
  async delete(@Body() body: DeleteMessageDto, @CurrentUser() me: User) {
    const message = await this.messages.findInRoom(body.roomId, body.msgId);
    const room = await this.rooms.findAccessible(me, { roomId: body.roomId });
    await this.messages.delete(me, room, message);
    return {
      _id: message.id,
      ts: Date.now(),
      message: { _id: message.id, rid: message.roomId, u: { _id: message.userId, username: message.username } },
      success: true,
    };
  }

  /** Newest first, paginated. */
  @Get(['channels.messages', 'groups.messages'])
  async roomMessages(@Kind() kind: RoomKind, @Query() query: HistoryQuery, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(query), kind.type);
    const page = resolvePage(query, {}, {});
    const [messages, total] = await this.messages.list(room, page);
    return { messages: messages.map(toApiMessage), count: messages.length, offset: page.offset, total, success: true };
  }

  /** Newest first, optionally between `oldest` and `latest`. */
  @Get(['channels.history', 'groups.history'])
  async history(@Kind() kind: RoomKind, @Query() query: HistoryQuery, @CurrentUser() me: User) {
    const room = await this.rooms.findForCaller(me, requireRoomRef(query), kind.type);
    const page = resolvePage(query, {}, {});
    const range = { latest: query.latest ? new Date(query.latest) : undefined, oldest: query.oldest ? new Date(query.oldest) : undefined };
    const messages = await this.messages.history(room, page, range);
    return { messages: messages.map(toApiMessage), success: true };
  }
}
