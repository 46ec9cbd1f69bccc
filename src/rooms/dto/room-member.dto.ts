import { OptionalString, RequiredString } from '../../core/http/dto-fields';

/** `{roomId, userId}` (invite, kick); `username` may stand for `userId`. */
export class RoomMemberDto {
  @RequiredString('roomId', { minLength: 1 })
  roomId: string;

  @OptionalString({ minLength: 1 })
  userId?: string;

  @OptionalString({ minLength: 1 })
  username?: string;
}
