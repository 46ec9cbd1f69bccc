import { HttpStatus } from '@nestjs/common';
import { DENIED_CODES, ErrorCode, FailureCode, MeteorCode } from './error-codes';

export type ErrorBody = Record<string, unknown>;

/**
 * An error a client caused, carrying the exact HTTP status and Rocket.Chat body to answer with,
 * and its code, set where it is made: code branches on `code`, never on the body's strings.
 * Services throw these; the one exception filter writes them out unchanged.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly code: ErrorCode,
    message: string,
    /** A Meteor.Error: its code is what Rocket.Chat's `e.error` holds. */
    private readonly isMeteor = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The caller may not do this, in any of Rocket.Chat's spellings. */
  get denied(): boolean {
    return DENIED_CODES.has(this.code);
  }

  /**
   * What Rocket.Chat passes on when it catches this error (`e.error || e.message`): the Meteor
   * code, or the failure's text. Incoming hooks answer it as their error.
   */
  get reason(): string {
    return this.isMeteor ? this.code : this.message;
  }

  /** Whether `error` is an ApiError (with code `code`, when given). */
  static is(error: unknown, code?: ErrorCode): error is ApiError {
    return error instanceof ApiError && (code === undefined || error.code === code);
  }

  /** `API.v1.failure('text')` or a plain Error: `{success:false, error}` with no errorType. */
  static failure(error: string, status: number = HttpStatus.BAD_REQUEST, code: FailureCode | MeteorCode = 'failed'): ApiError {
    return new ApiError(status, { success: false, error }, code, error);
  }

  /** A Meteor.Error: `error` is `"<reason> [<code>]"` (or `"[<code>]"`), errorType the code. */
  static meteor(code: MeteorCode, reason?: string, details?: Record<string, unknown>): ApiError {
    const error = reason ? `${reason} [${code}]` : `[${code}]`;
    return new ApiError(HttpStatus.BAD_REQUEST, { success: false, error, errorType: code, ...(details ? { details } : {}) }, code, error, true);
  }

  /** An answer with its own envelope (health, login, rate limits): the body as given. */
  static raw(status: number, body: ErrorBody, code: FailureCode, message: string): ApiError {
    return new ApiError(status, body, code, message);
  }

  /** Schema failures: each message joined by "\n " and suffixed ` [invalid-params]`. */
  static invalidParams(messages: string[]): ApiError {
    const error = `${messages.join('\n ')} [invalid-params]`;
    return new ApiError(HttpStatus.BAD_REQUEST, { success: false, error, errorType: 'invalid-params' }, 'invalid-params', error);
  }

  /**
   * Schema failures of the endpoints Rocket.Chat has moved to its typed router: the messages
   * joined the same way, without the ` [invalid-params]` suffix.
   */
  static invalidParamsUnsuffixed(messages: string[]): ApiError {
    const error = messages.join('\n ');
    return new ApiError(HttpStatus.BAD_REQUEST, { success: false, error, errorType: 'invalid-params' }, 'invalid-params', error);
  }

  static unauthenticated(): ApiError {
    const message = 'You must be logged in to do this.';
    return new ApiError(HttpStatus.UNAUTHORIZED, { status: 'error', message }, 'unauthenticated', message);
  }

  static forbidden(): ApiError {
    const error = 'User does not have the permissions required for this action [error-unauthorized]';
    return new ApiError(HttpStatus.FORBIDDEN, { success: false, error, errorType: 'error-unauthorized' }, 'error-unauthorized', error);
  }
}
