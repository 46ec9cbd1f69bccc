import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { OptionalBoolean, OptionalString, OptionalStringArray, RequiredString } from '../../core/http/dto-fields';

export class RoomExtraData {
  @OptionalString({ minLength: 1 })
  teamId?: string;

  @OptionalBoolean()
  broadcast?: boolean;

  @OptionalBoolean()
  encrypted?: boolean;
}

/** `channels.create` / `groups.create`. */
export class CreateRoomDto {
  @RequiredString('name', { minLength: 1 })
  name: string;

  @OptionalStringArray()
  members?: string[];

  @OptionalBoolean()
  readOnly?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => RoomExtraData)
  extraData?: RoomExtraData;
}
