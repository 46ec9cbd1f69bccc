import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { DatabaseAvailability } from '../database/database-availability';
import { toErrorResponse } from './error-response';

const SERVICE_UNAVAILABLE = { status: 503, body: { success: false, error: 'Service Unavailable' } };

/** Errors under `prefix` that no route's own filter saw (a rate limit, a body Fastify refused) go to `filter`. */
export interface PathFilter {
  prefix: string;
  filter: ExceptionFilter;
}

/**
 * The one exception filter: every error, from a route, a guard, a pipe or Fastify's own body
 * parsing (Nest routes Fastify's error handler here too), leaves as a Rocket.Chat JSON envelope —
 * except under a path whose pages have a filter of their own (the admin UI answers a browser with
 * a page, even for an error raised before its routes run).
 */
@Catch()
export class RocketChatExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly database: DatabaseAvailability,
    private readonly pathFilters: PathFilter[] = [],
  ) {
    logger.setContext('Http');
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const path = request.url.split('?')[0];
    const own = this.pathFilters.find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
    if (own) return own.filter.catch(exception, host);
    let { status, body, unexpected } = toErrorResponse(exception);
    // An unreachable database is an outage, logged once by DatabaseAvailability, not a bug per request.
    if (unexpected && this.database.report(exception)) {
      ({ status, body } = SERVICE_UNAVAILABLE);
      unexpected = false;
    }
    if (unexpected) {
      this.logger.error({ err: exception, reqId: request.id }, 'Unexpected error while handling %s', request.method);
    }
    void reply.status(status).header('content-type', 'application/json').send(body);
  }
}
