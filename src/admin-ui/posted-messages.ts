import { Injectable } from '@nestjs/common';
import { MessagesService } from '../messages/messages.service';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { shownRoomName } from './rooms-pages.controller';

/** A message an incoming call posted, as the history page shows it: its text and room, if the reader may see that room. */
export interface PostedMessage {
  id: string;
  readable: boolean;
  text?: string;
  roomId?: string;
  roomName?: string;
  at?: Date;
}

@Injectable()
export class PostedMessages {
  constructor(
    private readonly messages: MessagesService,
    private readonly rooms: RoomsService,
  ) {}

  async of(reader: User, ids: string[]): Promise<PostedMessage[]> {
    const found = new Map((await this.messages.findByIds(ids)).map((m) => [m.id, m]));
    return Promise.all(
      ids.map(async (id) => {
        const message = found.get(id);
        if (!message) return { id, readable: false };
        // Nobody reads a room through the history that their own access would not open.
        const room = await this.rooms.findAccessible(reader, { roomId: message.roomId }).catch(() => null);
        if (!room) return { id, readable: false };
        return { id, readable: true, text: message.msg, roomId: room.id, roomName: shownRoomName(room), at: message.ts };
      }),
    );
  }
}
