import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../auth/public.decorator';
import { toApiIntegration } from '../integration.mapper';
import { HookSubscriptions } from './hook-subscriptions';
import { hookBody } from './hook-body';
import { sampleOutgoingPayloads } from './hook-samples';
import { IncomingService } from './incoming.service';

type RawRequest = FastifyRequest & { rawBody?: Buffer };

const EXECUTE = [':integrationId/:token', ':integrationId/:userId/:token'];
const helper = (name: string) => [`${name}/:integrationId/:token`, `${name}/:integrationId/:userId/:token`];
/** Hook URLs are rate-limited per integration (see create-app.ts for the limits). */
const RATE_LIMITED = { rateLimit: {} };

/** `/hooks/...` (integrations spec §4.1): the incoming-webhook URLs, outside /api/v1, no login. */
@ApiTags('hooks')
@Public()
@Controller('hooks')
export class HooksController {
  constructor(
    private readonly incoming: IncomingService,
    private readonly subscriptions: HookSubscriptions,
  ) {}

  @Post(EXECUTE)
  @RouteConfig(RATE_LIMITED)
  executePost(@Param() params: Record<string, string>, @Req() request: RawRequest) {
    return this.execute(params, request);
  }

  @Get(EXECUTE)
  @RouteConfig(RATE_LIMITED)
  executeGet(@Param() params: Record<string, string>, @Req() request: RawRequest) {
    return this.execute(params, request);
  }

  /** Three example outgoing payloads (a legacy Zapier helper). */
  @Get(helper('sample'))
  @RouteConfig(RATE_LIMITED)
  async sample(@Param() params: Record<string, string>) {
    await this.incoming.authenticate(params.integrationId, params.token);
    return sampleOutgoingPayloads();
  }

  @Get(helper('info'))
  @RouteConfig(RATE_LIMITED)
  async info(@Param() params: Record<string, string>) {
    await this.incoming.authenticate(params.integrationId, params.token);
    return { success: true };
  }

  /** Creates an outgoing `sendMessage` integration for a Zapier-style subscriber. */
  @Post(helper('add'))
  @RouteConfig(RATE_LIMITED)
  async add(@Param() params: Record<string, string>, @Body() body: unknown) {
    const hook = await this.incoming.authenticate(params.integrationId, params.token);
    return { ...toApiIntegration(await this.subscriptions.subscribe(hook, body)), success: true };
  }

  @Post(helper('remove'))
  @RouteConfig(RATE_LIMITED)
  async remove(@Param() params: Record<string, string>, @Body() body: unknown) {
    const hook = await this.incoming.authenticate(params.integrationId, params.token);
    await this.subscriptions.unsubscribe(hook, body);
    return { success: true };
  }

  private async execute(params: Record<string, string>, request: RawRequest) {
    const integration = await this.incoming.authenticate(params.integrationId, params.token);
    const query = { ...(request.query as Record<string, unknown>) };
    return this.incoming.handle(
      integration,
      { method: request.method, url: request.url, params, query, headers: { ...request.headers }, rawBody: request.rawBody?.toString('utf8') ?? '' },
      () => hookBody(request.method, request.headers['content-type'], request.body, request.rawBody, query),
    );
  }
}
