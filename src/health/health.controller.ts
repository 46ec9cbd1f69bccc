import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiError } from '../core/http/api-error';
import { version } from '../../package.json';

@ApiTags('server')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('api/info')
  info(): { version: string; success: true } {
    return { version, success: true };
  }

  /** For Docker and load balancers: 200 while the database answers, 503 otherwise. */
  @Get('health')
  @HttpCode(HttpStatus.OK)
  async health(): Promise<{ status: 'ok'; database: 'up'; success: true }> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, { success: false, status: 'error', database: 'down', error: 'Database unreachable' });
    }
    return { status: 'ok', database: 'up', success: true };
  }
}
