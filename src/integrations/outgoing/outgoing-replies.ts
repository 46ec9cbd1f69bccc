import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { MessagePoster, PostResult, WebhookPayload } from '../../messages/message-poster';
import { RoomsService } from '../../rooms/rooms.service';
import { UsersService } from '../../users/users.service';
import { Integration } from '../entities/integration.entity';

/**
 * Posts what an outgoing integration sends back (spec §5.5, §5.6): as the user who triggered the
 * event when `impersonateUser` is set and that user exists, else as the integration's user; into
 * the reply's `channel`, else the integration's `targetRoom`, else the event's room. Returns
 * undefined when nothing could be posted (the caller records the failure step).
 */
@Injectable()
export class OutgoingReplies {
  private readonly logger = new Logger('OutgoingReplies');

  constructor(
    private readonly poster: MessagePoster,
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
  ) {}

  async post(integration: Integration, data: Record<string, unknown>, reply: Record<string, unknown>): Promise<PostResult[] | undefined> {
    const impersonated = integration.impersonateUser && typeof data.user_name === 'string' ? await this.users.findByUsername(data.user_name) : null;
    const user = impersonated ?? (await this.users.findByUsername(integration.username));
    if (!user) {
      this.logger.warn(`integration ${integration.id}: no user to post the reply as`);
      return undefined;
    }
    const named = typeof reply.channel === 'string' ? reply.channel : integration.targetRoom;
    const room =
      (named ? await this.rooms.findByIdOrName(named.replace(/^[#@]/, '')) : null) ??
      (typeof data.channel_id === 'string' ? await this.rooms.findById(data.channel_id) : null);
    if (!room) {
      this.logger.warn(`integration ${integration.id}: no room to post the reply in`);
      return undefined;
    }
    const payload = { ...(reply as WebhookPayload), bot: { i: integration.id } };
    const defaults = { channel: `#${room.id}`, alias: integration.alias ?? undefined, avatar: integration.avatar ?? undefined, emoji: integration.emoji ?? undefined };
    try {
      return await this.poster.post(user, payload, defaults);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.logger.warn(`integration ${integration.id}: reply not posted: ${error.message}`);
      return undefined;
    }
  }
}
