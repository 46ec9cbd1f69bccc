import { IsOptional, Validate } from 'class-validator';
import { OptionalString } from '../../core/http/dto-fields';
import { IsStringOrStringArray } from '../../core/http/string-or-array.validator';
import { MessageFields } from './message-fields';

/** `chat.postMessage`: target by `roomId` or `channel` (`#name`, `@user`, or several). */
export class PostMessageDto extends MessageFields {
  @IsOptional()
  @Validate(IsStringOrStringArray)
  roomId?: string | string[];

  @IsOptional()
  @Validate(IsStringOrStringArray)
  channel?: string | string[];

  @OptionalString()
  text?: string;
}
