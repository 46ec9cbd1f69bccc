import type { ApiMessage } from '../messages/message.mapper';
import type { ApiRoom } from '../rooms/room.mapper';
import type { ApiUser } from '../users/user.mapper';

/** The events outgoing integrations listen to (integrations spec §5.1). */
export const DOMAIN_EVENTS = [
  'sendMessage',
  'fileUploaded',
  'roomArchived',
  'roomCreated',
  'roomJoined',
  'roomLeft',
  'userCreated',
] as const;

export type DomainEventName = (typeof DOMAIN_EVENTS)[number];

/**
 * What each event carries: snapshots, in API shape, of what the outgoing payloads of §5.4 need,
 * taken inside the transaction that made the change.
 */
export interface DomainEventPayloads {
  /** New and edited messages (an edit has `message.editedAt`). */
  sendMessage: { message: ApiMessage; room: ApiRoom };
  fileUploaded: { message: ApiMessage; room: ApiRoom; user: ApiUser };
  roomArchived: { room: ApiRoom; user: ApiUser };
  roomCreated: { room: ApiRoom; owner: ApiUser };
  roomJoined: { room: ApiRoom; user: ApiUser };
  roomLeft: { room: ApiRoom; user: ApiUser };
  userCreated: { user: ApiUser };
}
