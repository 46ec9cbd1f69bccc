import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from './error-response';

/**
 * The one exception filter: every error, from a route, a guard, a pipe or Fastify's own body
 * parsing (Nest routes Fastify's error handler here too), leaves as a Rocket.Chat JSON envelope.
 */
@Catch()
export class RocketChatExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext('Http');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, body, unexpected } = toErrorResponse(exception);
    if (unexpected) {
      this.logger.error({ err: exception, reqId: request.id }, 'Unexpected error while handling %s', request.method);
    }
    void reply.status(status).header('content-type', 'application/json').send(body);
  }
}
