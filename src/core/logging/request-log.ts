import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';
import { redactUrl } from './redact-url';

/**
 * Runs the rest of a request (`next`) so that lines logged in it carry its `reqId`, as pino-http's
 * would, from a child logger made only when the request logs something: pino-http made two
 * children for every request (about 70 µs of a `chat.postMessage`, bench/README.md), and most
 * requests log nothing but their access line, which `logRequest` writes. A Fastify hook, not a
 * Nest middleware: Nest's middleware bridge matched routes for every request.
 */
export function inRequestLogScope(requestId: string, next: () => void): void {
  let child: Logger | undefined;
  const logger = new Proxy({} as Logger, {
    get(_target, property) {
      child ??= (PinoLogger.root as Logger).child({ reqId: requestId });
      const value: unknown = Reflect.get(child, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(child) : value;
    },
  });
  storage.run(new Store(logger), next);
}

/**
 * A request's access line, in pino-http's shape and at its level (info): `request completed`, or
 * `request errored` with an `err` for a 5xx, written to the root logger's destination (see
 * `accessLogOf`). The failure itself is logged where it happens, once (an outage answers many 503s).
 */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const root = PinoLogger.root as Logger | undefined;
  if (!root?.isLevelEnabled('info')) return;
  const logger = accessLogOf(root);
  const failed = reply.statusCode >= 500;
  const line = {
    reqId: request.id,
    req: { id: request.id, method: request.method, url: redactUrl(request.url), remoteAddress: request.ip },
    res: { statusCode: reply.statusCode },
    responseTime: Math.round(reply.elapsedTime),
  };
  if (failed) logger.info({ ...line, err: { type: 'Error', message: `failed with status code ${reply.statusCode}` } }, 'request errored');
  else logger.info(line, 'request completed');
}

const accessLogs = new WeakMap<Logger, Logger>();
const asBuilt = <T>(value: T): T => value;

/**
 * The root logger as access lines use it: same destination, level and fields, without the
 * redaction and the `req`/`res` serializers, which cost 3-6 µs a line and have nothing to do
 * there: an access line is built from the method, the URL with its hook token already redacted,
 * the address and the status (bench/README.md, 2026-12-08).
 */
function accessLogOf(root: Logger): Logger {
  let logger = accessLogs.get(root);
  if (!logger) {
    logger = root.child({}, { redact: { paths: [] }, serializers: { req: asBuilt, res: asBuilt } });
    accessLogs.set(root, logger);
  }
  return logger;
}
