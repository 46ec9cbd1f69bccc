import { HttpStatus } from '@nestjs/common';

export type ErrorBody = Record<string, unknown>;

/**
 * An error a client caused, carrying the exact HTTP status and Rocket.Chat body to answer with.
 * Services throw these; the one exception filter writes them out unchanged.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(typeof body.error === 'string' ? body.error : String(body.message ?? 'error'));
    this.name = 'ApiError';
  }

  /**
   * What code off the HTTP path branches on and reports: the Meteor error code (`errorType`), or
   * the plain failure text when there is none.
   */
  get code(): string {
    const { errorType, error, message } = this.body;
    return String(errorType ?? error ?? message ?? 'error');
  }

  /** Whether `error` is an ApiError (with code `code`, when given). */
  static is(error: unknown, code?: string): error is ApiError {
    return error instanceof ApiError && (code === undefined || error.code === code);
  }

  /** `API.v1.failure('text')` or a plain Error: `{success:false, error}` with no errorType. */
  static failure(error: string, status: number = HttpStatus.BAD_REQUEST): ApiError {
    return new ApiError(status, { success: false, error });
  }

  /** A Meteor.Error: `error` is `"<reason> [<code>]"` (or `"[<code>]"`), errorType the code. */
  static meteor(code: string, reason?: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, {
      success: false,
      error: reason ? `${reason} [${code}]` : `[${code}]`,
      errorType: code,
      ...(details ? { details } : {}),
    });
  }

  /** Schema failures: each message joined by "\n " and suffixed ` [invalid-params]`. */
  static invalidParams(messages: string[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, {
      success: false,
      error: `${messages.join('\n ')} [invalid-params]`,
      errorType: 'invalid-params',
    });
  }

  /**
   * Schema failures of the endpoints Rocket.Chat has moved to its typed router: the messages
   * joined the same way, without the ` [invalid-params]` suffix.
   */
  static invalidParamsUnsuffixed(messages: string[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, { success: false, error: messages.join('\n '), errorType: 'invalid-params' });
  }

  static unauthenticated(): ApiError {
    return new ApiError(HttpStatus.UNAUTHORIZED, { status: 'error', message: 'You must be logged in to do this.' });
  }

  static forbidden(): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, {
      success: false,
      error: 'User does not have the permissions required for this action [error-unauthorized]',
      errorType: 'error-unauthorized',
    });
  }
}
