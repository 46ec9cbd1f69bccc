import { ApiError } from '../core/http/api-error';
import { RoomType } from './entities/room.entity';

const NOUN: Record<RoomType, string> = { c: 'channel', p: 'group', d: 'room' };

/** Rocket.Chat's words for a room that does not exist, or that the caller may not know exists. */
export const roomNotFound = (type: RoomType) =>
  ApiError.meteor(
    'error-room-not-found',
    `The required "roomId" or "roomName" param provided does not match any ${NOUN[type]}`,
  );

export const notAllowed = (method: string) => ApiError.meteor('error-not-allowed', 'Not allowed', { method });

export const notAuthorized = (method: string) => ApiError.meteor('error-not-authorized', 'Not authorized', { method });

export const roomArchived = (method: string) =>
  ApiError.meteor('error-room-archived', 'You cannot do this in an archived room', { method });

export const userNotInRoom = (method: string) =>
  ApiError.meteor('error-user-not-in-room', 'User is not in this room', { method });
