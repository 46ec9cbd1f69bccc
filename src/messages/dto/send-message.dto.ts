import { Type } from 'class-transformer';
import { IsDefined, Matches, ValidateNested } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { OptionalString, RequiredString } from '../../core/http/dto-fields';
import { MessageFields } from './message-fields';

export class OutgoingMessage extends MessageFields {
  /** A client may choose the id (to retry without duplicates). */
  @OptionalString()
  @Matches(/^[\w-]{1,32}$/, { message: ajv.pattern('^[\\w-]{1,32}$') })
  _id?: string;

  @RequiredString('rid', { minLength: 1 })
  rid: string;

  @OptionalString()
  msg?: string;
}

/** `chat.sendMessage`: `{message: {rid, msg, ...}}`. */
export class SendMessageDto {
  @IsDefined({ message: ajv.required('message') })
  @ValidateNested()
  @Type(() => OutgoingMessage)
  message: OutgoingMessage;
}
