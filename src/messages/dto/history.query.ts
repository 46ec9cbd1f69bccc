import { IsISO8601, IsOptional } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { RoomRefQuery } from '../../rooms/dto/room-ref.dto';

/** `channels.history`: a room, optionally bounded by `latest` and `oldest`. */
export class HistoryQuery extends RoomRefQuery {
  @IsOptional()
  @IsISO8601({}, { message: ajv.format('date-time') })
  latest?: string;

  @IsOptional()
  @IsISO8601({}, { message: ajv.format('date-time') })
  oldest?: string;
}
