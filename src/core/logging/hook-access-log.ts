import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { redactUrl } from './redact-url';

/**
 * The access line of a `/hooks` call, in pino-http's shape (`request completed`, `req`, `res`,
 * `responseTime`) but written straight to the root logger: pino-http's per-request child logger
 * costs a sixth of a hook call's time, and hook calls come by the thousand.
 */
export function logHookCall(request: FastifyRequest, reply: FastifyReply): void {
  const logger = PinoLogger.root;
  if (!logger?.isLevelEnabled('info')) return;
  logger.info(
    {
      reqId: request.id,
      req: { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.ip },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    },
    'request completed',
  );
}
