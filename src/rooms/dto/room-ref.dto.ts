import { IntersectionType } from '@nestjs/swagger';
import { OptionalString } from '../../core/http/dto-fields';
import { PaginationQuery } from '../../core/http/pagination';
import { RoomRef } from '../rooms.service';
import { requireExactlyOne } from '../../core/http/exactly-one';

/** `{roomId}` or `{roomName}`. */
export class RoomRefDto implements RoomRef {
  @OptionalString({ minLength: 1 })
  roomId?: string;

  @OptionalString({ minLength: 1 })
  roomName?: string;
}

/** `?roomId=` or `?roomName=` with pagination. */
export class RoomRefQuery extends IntersectionType(PaginationQuery, RoomRefDto) {}

/** Exactly one of roomId and roomName, as Rocket.Chat's oneOf schemas say. */
export function requireRoomRef(ref: RoomRef): RoomRef {
  requireExactlyOne(ref, 'roomId', 'roomName');
  return ref;
}
