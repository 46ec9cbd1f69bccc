import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import type { ApiRoom } from '../../rooms/room.mapper';
import { Integration } from '../entities/integration.entity';

/**
 * The channel keys an event's room answers to (spec §5.2): direct messages by participant (not the
 * author's own username), channels and groups by id and name, and the scoped `all_*` keys.
 */
export function roomKeys(room: ApiRoom, authorUsername?: string): string[] {
  if (room.t === 'd') {
    return [
      'all_direct_messages',
      ...(room.uids ?? []).map((id) => `@${id}`),
      ...(room.usernames ?? []).filter((u) => u !== authorUsername).map((u) => `@${u}`),
    ];
  }
  const scope = room.t === 'c' ? 'all_public_channels' : 'all_private_groups';
  return [scope, `#${room._id}`, ...(room.name && room.name !== room._id ? [`#${room.name}`] : [])];
}

/** The room and author of an event, when it has a room. */
export function eventRoom(event: DomainEventName, payload: DomainEventPayloads[DomainEventName]): { room: ApiRoom; author?: string } | undefined {
  if (event === 'sendMessage' || event === 'fileUploaded') {
    const { room, message } = payload as DomainEventPayloads['sendMessage'];
    return { room, author: message.u.username };
  }
  if (event === 'roomJoined' || event === 'roomLeft') return { room: (payload as DomainEventPayloads['roomJoined']).room };
  return undefined;
}

/**
 * Whether a `sendMessage` fires this integration (spec §5.3 steps 2–3): the first matching trigger
 * word (a prefix, or anywhere with `triggerWordAnywhere`; case-sensitive), and edits only with
 * `runOnEdits`. Returns false to skip, else the trigger word (undefined when none is configured).
 */
export function sendMessageTrigger(integration: Integration, message: { msg: string; editedAt?: string }): string | undefined | false {
  let word: string | undefined;
  if (integration.triggerWords?.length) {
    word = integration.triggerWords.find((w) => (integration.triggerWordAnywhere ? message.msg.includes(w) : message.msg.indexOf(w) === 0));
    if (word === undefined) return false;
  }
  if (message.editedAt && !integration.runOnEdits) return false;
  return word;
}
