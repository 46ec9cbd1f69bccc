import { IsOptional, Validate } from 'class-validator';
import { OptionalString } from '../../core/http/dto-fields';
import { isRecord } from '../../core/http/is-record';
import { IsStringOrStringArray } from '../../core/http/string-or-array.validator';
import { MessageFields } from './message-fields';

const isText = (value: unknown) => typeof value === 'string';
const isFlag = (value: unknown) => typeof value === 'boolean';
const isTarget = (value: unknown) => IsStringOrStringArray.holds(value);

/** What each property of a valid body may hold (absent properties are not looked at; null is left to the full check). */
const AT_A_GLANCE = new Map<string, (value: unknown) => boolean>([
  ['roomId', isTarget],
  ['channel', isTarget],
  ['text', isText],
  ['alias', isText],
  ['emoji', isText],
  ['avatar', isText],
  ['tmid', isText],
  ['parseUrls', isFlag],
  ['groupable', isFlag],
  ['customFields', isRecord],
  ['attachments', (value) => Array.isArray(value) && value.every(isRecord)],
]);

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

  /** A body the rules above accept as it stands (CheckedAtAGlance; the spec checks it against class-validator). */
  static accepts(body: unknown): boolean {
    if (!isRecord(body)) return false;
    for (const [name, value] of Object.entries(body)) if (!AT_A_GLANCE.get(name)?.(value)) return false;
    return true;
  }
}
