import { Injectable } from '@nestjs/common';
import { PermissionsService } from '../authorization/permissions.service';
import { ApiError } from '../core/http/api-error';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { PostMessageDto } from './dto/post-message.dto';
import { SendMessageDto } from './dto/send-message.dto';
import { Message } from './entities/message.entity';
import { MessagePoster, PostResult } from './message-poster';
import { MessagesService } from './messages.service';
import { requireExactlyOne } from '../core/http/exactly-one';

/** `chat.postMessage` and `chat.sendMessage`: Rocket.Chat's checks (an empty message, impersonation) before a post. */
@Injectable()
export class SendMessage {
  constructor(
    private readonly messages: MessagesService,
    private readonly poster: MessagePoster,
    private readonly rooms: RoomsService,
    private readonly permissions: PermissionsService,
  ) {}

  /** `chat.postMessage`: to `roomId` or `channel` (exactly one); the first target's result. */
  async postMessage(me: User, body: PostMessageDto): Promise<PostResult> {
    requireExactlyOne(body, 'roomId', 'channel');
    if (!body.text && !body.attachments?.length) {
      throw ApiError.meteor('error-invalid-message', 'The message is empty: send text or attachments', { method: 'sendMessage' });
    }
    await this.assertMayImpersonate(me, body);
    const [first] = await this.poster.post(me, body);
    return first;
  }

  /** `chat.sendMessage`: a message document with its room id (and optionally its own id). */
  async sendMessage(me: User, message: SendMessageDto['message']): Promise<Message> {
    if (!message.msg && !message.attachments?.length) {
      throw ApiError.meteor('error-invalid-message', 'The message is empty: send msg or attachments', { method: 'sendMessage' });
    }
    await this.assertMayImpersonate(me, message);
    const room = await this.rooms.findById(message.rid);
    if (!room) throw ApiError.meteor('error-invalid-room', 'Invalid room', { method: 'sendMessage' });
    const { _id, rid: _rid, ...fields } = message;
    return this.messages.post(me, room, { ...fields, id: _id, msg: message.msg ?? '' });
  }

  /** Posting under another name or picture is impersonation: it needs message-impersonate. */
  private async assertMayImpersonate(me: User, fields: { alias?: string; avatar?: string }): Promise<void> {
    if ((fields.alias || fields.avatar) && !(await this.permissions.hasPermission(me, 'message-impersonate'))) {
      throw ApiError.meteor('error-not-allowed', 'Not enough permission to set alias or avatar', { method: 'sendMessage' });
    }
  }
}
