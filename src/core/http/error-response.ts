import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiError, ErrorBody } from './api-error';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** What a person reads about it (the body's text). */
  message: string;
  /** True when the error is a server fault that must be logged, not a client mistake. */
  unexpected: boolean;
}

/**
 * Turns anything thrown during a request into the Rocket.Chat envelope; the one place errors are
 * shaped. Fastify's own errors (bad JSON, body too large, bad media type) arrive here as
 * HttpExceptions carrying Fastify's message and status.
 */
export function toErrorResponse(exception: unknown): ErrorResponse {
  if (exception instanceof ApiError) {
    return { status: exception.status, body: exception.body, message: exception.message, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus() as HttpStatus;
    const response = exception.getResponse();
    const given = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = typeof given === 'string' ? given : Array.isArray(given) ? given.join(',') : exception.message;
    if (status === HttpStatus.NOT_FOUND && message.startsWith('Cannot ')) {
      const route = message.slice('Cannot '.length);
      const text = `Route not found: ${route}`;
      return { status, body: { success: false, error: text, errorType: 'error-not-found' }, message: text, unexpected: false };
    }
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { status, body: { success: false, error: message, errorType: 'error-payload-too-large' }, message, unexpected: false };
    }
    return { status, body: { success: false, error: message }, message, unexpected: status >= HttpStatus.INTERNAL_SERVER_ERROR };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { success: false, error: 'Internal server error' },
    message: 'Internal server error',
    unexpected: true,
  };
}
