import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../core/config/app-config';
import { ApiError } from '../core/http/api-error';
import { secretsEqual } from '../core/ids/secret-compare';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics` in Prometheus' text format (`?name=` for one metric), for a scraper holding `METRICS_TOKEN` (a bearer
 * token, compared in constant time). Without the setting the endpoint does not exist: metrics name
 * integrations and show load, which is not for everyone.
 */
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('metrics')
  @ApiExcludeEndpoint()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Query('name') name: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (!token) throw ApiError.raw(404, { success: false, error: 'Not Found', errorType: 'error-not-found' }, 'error-not-found', 'Not Found');
    const given = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!secretsEqual(given, token)) throw ApiError.failure('A valid bearer token is required for /metrics', 401, 'unauthenticated');
    void reply.header('content-type', this.metrics.registry.contentType);
    // One metric by name: read without collecting the others (the queue gauges query the database).
    if (typeof name === 'string' && name) {
      if (!this.metrics.registry.getSingleMetric(name)) throw ApiError.failure(`No metric named ${name.slice(0, 100)}`, 404, 'error-not-found');
      return this.metrics.registry.getSingleMetricAsString(name);
    }
    return this.metrics.registry.metrics();
  }
}
