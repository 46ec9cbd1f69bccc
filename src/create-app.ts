import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { version } from '../package.json';
import { registerAdminUiPlugins } from './admin-ui/ui-assets';
import { UiExceptionFilter } from './admin-ui/ui-exception.filter';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { DatabaseAvailability } from './core/database/database-availability';
import { EmbeddedDatabase } from './core/database/embedded-database';
import { ApiError } from './core/http/api-error';
import { postsAnswer200 } from './core/http/post-answers-200';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './core/http/json-depth';
import { documentValidatedDtos } from './core/http/dto-openapi';
import { withReadableOperationIds } from './core/http/openapi-operation-ids';
import { sharedRateStore } from './core/http/shared-rate-store';
import { RateWindows } from './auth/rate-windows';
import { FoldedRateCounter } from './auth/folded-rate-counter';
import { toStorable } from './core/http/storable-text';
import { RocketChatExceptionFilter } from './core/http/rocketchat-exception.filter';
import { REQUEST_ID_HEADER, requestIdFor } from './core/http/request-id';
import { createValidationPipe } from './core/http/validation';
import { inRequestLogScope, logRequest } from './core/logging/request-log';
import { StartupNoiseFilter } from './core/logging/startup-noise-filter';
import { MetricsService } from './metrics/metrics.service';
import { TEST_ADMIN_USERNAME } from './users/default-users';

/** The API's login and the admin UI's login form share one count per address. */
const LOGIN_ROUTES = new Set(['/api/v1/login', '/ui/login']);

/** The integration a /hooks URL names (the rate limit counts by it, the metrics label by it). */
const integrationIdOf = (request: FastifyRequest) => (request.params as { integrationId?: string } | undefined)?.integrationId;

/**
 * Builds the whole application exactly as production runs it; main.ts and every test call this,
 * so tests exercise the same body limits, filters, pipes and hooks.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const started = Date.now();
  const embedded = config.usesEmbeddedDatabase ? await EmbeddedDatabase.start(config.dataDir) : null;
  const readyMs = Date.now() - started;
  let app: NestFastifyApplication;
  try {
    app = await buildApp(config, embedded);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  if (config.testMode) {
    new NestLogger('Hookline').warn(
      `TEST_MODE is on: the well-known test administrator ${TEST_ADMIN_USERNAME} exists and the hook rate limit is ${config.hookRateLimit.limit ? 'as set' : 'off'}. Never run a real server like this.`,
    );
  }
  if (embedded) {
    const logger = new NestLogger('Database');
    embedded.notes.forEach((note) => logger.log(note));
    const where = config.dataDir === 'memory://' ? 'a temporary folder' : join(config.dataDir, 'postgres');
    logger.log(`Embedded PostgreSQL in ${where}, socket in ${embedded.target.host} (ready in ${readyMs} ms)`);
  }
  return app;
}

async function buildApp(config: AppConfig, embedded: EmbeddedDatabase | null): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    // Client addresses (login limits) come from X-Forwarded-For only from the proxies TRUST_PROXY names.
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: requestIdFor,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, embedded), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Hook scripts see the raw body (`content_raw`), and a form post holding one JSON key is parsed from it.
    rawBody: true,
  });
  app.useLogger(new StartupNoiseFilter(app.get(Logger)));
  postsAnswer200(app);
  app.useGlobalFilters(new RocketChatExceptionFilter(await app.resolve(PinoLogger), app.get(DatabaseAvailability), [{ prefix: '/ui', filter: app.get(UiExceptionFilter) }]));
  app.useGlobalPipes(createValidationPipe());
  if (config.hookRateLimit.limit > 0 || config.loginRateLimit.limit > 0) {
    // Only routes that ask for it are limited: the /hooks URLs per integration (every URL form of a
    // hook, whatever its ignored user segment says, shares one count), and login per address.
    const isLogin = (request: FastifyRequest) => LOGIN_ROUTES.has(request.routeOptions.url ?? '');
    // Looked up once, on the first counted request (a hook call must not pay a container lookup).
    const rateWindows = once(() => app.get(RateWindows));
    const foldedCounter = once(() => app.get(FoldedRateCounter));
    const limits = (request: FastifyRequest) => (isLogin(request) ? config.loginRateLimit : config.hookRateLimit);
    await app.register(fastifyRateLimit, {
      global: false,
      max: (request) => limits(request).limit,
      timeWindow: (request) => limits(request).windowMs,
      allowList: (request) => limits(request).limit === 0,
      keyGenerator: (request) => (isLogin(request) ? `login:${request.ip}` : `hook:${integrationIdOf(request) ?? request.url.split('?')[0]}`),
      store: sharedRateStore(
        (key, windowMs) => rateWindows().hit(key, windowMs),
        (key, windowMs) => foldedCounter().hit(key, windowMs),
      ),
      // A counter that cannot be reached lets the request through: the login itself then answers the outage.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        tooManyRequests(Math.ceil(context.ttl / 1000)),
    });
  }
  await registerAdminUiPlugins(app);
  await app.register(fastifyMultipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 10, fieldSize: 64 * 1024 } });

  const fastify = app.getHttpAdapter().getInstance();
  // Hooks run on every request: callback style, so none costs a promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    // Hook calls are machine traffic, thousands a second: lines they log carry no reqId (their access line does).
    if (request.routeOptions.url?.startsWith('/hooks/')) done();
    else inRequestLogScope(request.id, done);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the URL: hook tokens stay out, and the label set stays small.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    const integrationId = integrationIdOf(request);
    // Only hooks that exist are labelled (a 401 may name anything).
    if (integrationId && route.startsWith('/hooks/:integrationId') && reply.statusCode !== 401 && reply.statusCode !== 429) metrics.hookCall(integrationId, reply.statusCode);
    logRequest(request, reply);
    done();
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (nestedDeeperThan(request.body, MAX_JSON_DEPTH)) {
      return done(ApiError.failure(`The request body is nested too deeply (more than ${MAX_JSON_DEPTH} levels).`));
    }
    request.body = toStorable(request.body);
    toStorable(request.query);
    toStorable(request.params);
    done();
  });
  // Rocket.Chat clients compare the header string: `application/json`, no charset suffix.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json');
    done(null, payload);
  });

  const openApi = new DocumentBuilder()
    .setTitle('Hookline')
    .setDescription('Rocket.Chat-compatible integrations API: /api/v1/integrations.*, /hooks/..., and the chat core.')
    .setVersion(version)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' }, 'authToken')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-User-Id' }, 'userId')
    .build();
  documentValidatedDtos();
  SwaggerModule.setup('api/docs', app, () => withReadableOperationIds(SwaggerModule.createDocument(app, openApi)));

  return app;
}

/** `make`'s value, made on the first call and kept. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** Rocket.Chat's rate limiter answer. */
function tooManyRequests(waitSeconds: number): ApiError {
  const error = `Error, too many requests. Please slow down. You must wait ${waitSeconds} seconds before trying this endpoint again. [error-too-many-requests]`;
  return ApiError.raw(429, { success: false, error, errorType: 'error-too-many-requests' }, 'error-too-many-requests', error);
}
