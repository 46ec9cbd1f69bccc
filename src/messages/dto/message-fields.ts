import { IsArray, IsObject, IsOptional } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { OptionalBoolean, OptionalObject, OptionalString } from '../../core/http/dto-fields';

/** Optional message fields shared by chat.postMessage and chat.sendMessage. */
export class MessageFields {
  @OptionalString()
  alias?: string;

  @OptionalString()
  emoji?: string;

  @OptionalString()
  avatar?: string;

  @IsOptional()
  @IsArray({ message: ajv.type('array') })
  @IsObject({ each: true, message: (a) => `/${a.property}/* must be object` })
  attachments?: Record<string, unknown>[];

  @OptionalString()
  tmid?: string;

  @OptionalBoolean()
  parseUrls?: boolean;

  @OptionalBoolean()
  groupable?: boolean;

  @OptionalObject()
  customFields?: Record<string, unknown>;
}
