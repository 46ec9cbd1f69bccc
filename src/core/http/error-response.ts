import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiError, ErrorBody } from './api-error';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
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
    return { status: exception.status, body: exception.body, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus() as HttpStatus;
    const response = exception.getResponse();
    const message =
      typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
    if (status === HttpStatus.NOT_FOUND && message.startsWith('Cannot ')) {
      const route = message.slice('Cannot '.length);
      return { status, body: { success: false, error: `Route not found: ${route}`, errorType: 'error-not-found' }, unexpected: false };
    }
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { status, body: { success: false, error: message, errorType: 'error-payload-too-large' }, unexpected: false };
    }
    return { status, body: { success: false, error: message }, unexpected: status >= HttpStatus.INTERNAL_SERVER_ERROR };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { success: false, error: 'Internal server error' },
    unexpected: true,
  };
}
