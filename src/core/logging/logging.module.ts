import { Module } from '@nestjs/common';
import { LoggerModule, Params } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { flushIfUrgent, logDestination } from './log-destination';
import { redactUrl } from './redact-url';

/**
 * JSON logs through pino; pretty in a terminal. Every line inside a request carries its `reqId`
 * (Fastify assigns it, see create-app.ts). Secrets are kept out: hook tokens in URLs, credentials.
 */

/** pino's options; in a terminal, pretty lines, otherwise JSON to stdout (see logDestination). */
function pinoOptions(config: AppConfig): Params['pinoHttp'] {
  const options = {
    level: config.logLevel,
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: {
      paths: ['password', '*.password', 'authToken', '*.authToken', 'token', '*.token'],
      censor: '[redacted]',
    },
    hooks: { logMethod: flushIfUrgent },
  };
  if (process.stdout.isTTY && !process.env.JEST_WORKER_ID) {
    return { ...options, transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}' } } };
  }
  return [options, logDestination()] as Params['pinoHttp'];
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // pino-http runs on no route: its two child loggers per request cost more than the rest of
        // a small request's logging. create-app.ts gives lines logged in a request their reqId and
        // writes every access line (request-log.ts).
        forRoutes: [],
        pinoHttp: pinoOptions(config),
      }),
    }),
  ],
})
export class LoggingModule {}
