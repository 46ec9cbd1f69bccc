import { OptionalBoolean, RequiredString } from '../../core/http/dto-fields';

export class MessageRefDto {
  @RequiredString('roomId', { minLength: 1 })
  roomId: string;

  @RequiredString('msgId', { minLength: 1 })
  msgId: string;
}

/** `chat.update`. */
export class UpdateMessageDto extends MessageRefDto {
  @RequiredString('text')
  text: string;
}

/** `chat.delete`. */
export class DeleteMessageDto extends MessageRefDto {
  @OptionalBoolean()
  asUser?: boolean;
}
