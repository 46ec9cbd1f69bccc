import { ajv } from './ajv-messages';
import { ApiError } from './api-error';

/**
 * Rocket.Chat's `oneOf` of two ways to name a thing (`roomId` or `roomName`, `userId` or
 * `username`…): exactly one of `first` and `second` must be given, else AJV's three messages.
 */
export function requireExactlyOne<T extends object>(given: T, first: keyof T & string, second: keyof T & string): void {
  if (!given[first] === !given[second]) throw ApiError.invalidParams([ajv.required(first), ajv.required(second), ajv.oneOf]);
}
