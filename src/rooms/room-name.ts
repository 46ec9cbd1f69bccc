import { ApiError } from '../core/http/api-error';

/** Rocket.Chat's default channel-name rule (`UTF8_Channel_Names_Validation`). */
const ROOM_NAME = /^[0-9a-zA-Z-_.]+$/;

export function assertValidRoomName(name: string): void {
  if (!ROOM_NAME.test(name)) {
    throw ApiError.meteor('error-invalid-room-name', `${name} is not a valid room name`, { method: 'createRoom', room_name: name });
  }
}

export const duplicateRoomName = (name: string) =>
  ApiError.meteor('error-duplicate-channel-name', `A channel with name '${name}' exists`, { method: 'createRoom', channel_name: name });
