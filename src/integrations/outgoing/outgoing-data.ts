import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import type { ApiUser } from '../../users/user.mapper';

type Payload = DomainEventPayloads[DomainEventName];

const isBot = (user: ApiUser) => user.type === 'bot';

/** What sendMessage and fileUploaded both say about the message and its room. */
function messageFields({ message, room }: DomainEventPayloads['sendMessage']): Record<string, unknown> {
  return {
    bot: !!message.bot,
    channel_id: room._id,
    channel_name: room.name,
    message_id: message._id,
    timestamp: message.ts,
    user_id: message.u._id,
    user_name: message.u.username,
    text: message.msg,
    ...(message.alias ? { alias: message.alias } : {}),
  };
}

/**
 * The JSON body an outgoing integration receives for an event (integrations spec §5.4), without
 * `token` (added when sending, from the integration as it is then). Unlike Rocket.Chat, whose
 * mapping gives only `{token, bot}` for events without a message, every event carries its
 * intended fields.
 */
export function outgoingData(event: DomainEventName, payload: Payload, occurredAt: Date, siteUrl: string): Record<string, unknown> {
  switch (event) {
    case 'sendMessage': {
      const { message } = payload as DomainEventPayloads['sendMessage'];
      return {
        ...messageFields(payload as DomainEventPayloads['sendMessage']),
        siteUrl,
        ...(message.editedAt ? { isEdited: true } : {}),
        ...(message.tmid ? { tmid: message.tmid } : {}),
      };
    }
    case 'fileUploaded': {
      const { message, room, user } = payload as DomainEventPayloads['fileUploaded'];
      return { ...messageFields({ message, room }), user, room, message };
    }
    case 'roomCreated': {
      const { room, owner } = payload as DomainEventPayloads['roomCreated'];
      return { bot: false, channel_id: room._id, channel_name: room.name, timestamp: room.ts, user_id: owner._id, user_name: owner.username, owner, room };
    }
    case 'roomArchived':
    case 'roomJoined':
    case 'roomLeft': {
      const { room, user } = payload as DomainEventPayloads['roomJoined'];
      return {
        bot: isBot(user),
        timestamp: occurredAt.toISOString(),
        channel_id: room._id,
        channel_name: room.name,
        user_id: user._id,
        user_name: user.username,
        user,
        room,
      };
    }
    case 'userCreated': {
      const { user } = payload as DomainEventPayloads['userCreated'];
      return { bot: isBot(user), timestamp: user.createdAt, user_id: user._id, user_name: user.username, user };
    }
  }
}
