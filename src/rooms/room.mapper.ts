import { Room } from './entities/room.entity';

/** A room as Rocket.Chat's REST API shows it. */
export function toApiRoom(room: Room) {
  return {
    _id: room.id,
    t: room.type,
    ...(room.name !== null ? { name: room.name } : {}),
    ...(room.fname !== null ? { fname: room.fname } : {}),
    ...(room.ownerId ? { u: { _id: room.ownerId, username: room.ownerUsername ?? '' } } : {}),
    ro: room.readOnly,
    ...(room.archived ? { archived: true } : {}),
    ...(room.isDefault ? { default: true } : {}),
    ...(room.teamId ? { teamId: room.teamId } : {}),
    ...(room.teamMain ? { teamMain: true } : {}),
    ...(room.uids ? { uids: room.uids } : {}),
    ...(room.usernames ? { usernames: room.usernames } : {}),
    ts: room.createdAt.toISOString(),
    _updatedAt: room.updatedAt.toISOString(),
  };
}

export type ApiRoom = ReturnType<typeof toApiRoom>;
