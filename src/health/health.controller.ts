import { Controller, Get, HttpCode, HttpStatus } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiError } from '../core/http/api-error';
import { version } from '../../package.json';
import { Draining } from './draining';

@ApiTags('server')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly draining: Draining,
  ) {}

  @Get('api/info')
  info(): { version: string; success: true } {
    return { version, success: true };
  }

  /** For Docker and load balancers: 200 while the database answers, 503 otherwise. */
  @Get('health')
  @HttpCode(HttpStatus.OK)
  async health(): Promise<{ status: 'ok'; database: 'up'; success: true }> {
    await this.assertDatabaseUp();
    return { status: 'ok', database: 'up', success: true };
  }

  /** Liveness: the process answers (restart it when this fails). Never looks at the database. */
  @Get('health/live')
  @HttpCode(HttpStatus.OK)
  live(): { status: 'ok'; success: true } {
    return { status: 'ok', success: true };
  }

  /** Readiness: send traffic here? No while shutting down, or while the database is out of reach. */
  @Get('health/ready')
  @HttpCode(HttpStatus.OK)
  async ready(): Promise<{ status: 'ready'; database: 'up'; success: true }> {
    if (this.draining.active) {
      throw ApiError.raw(HttpStatus.SERVICE_UNAVAILABLE, { success: false, status: 'draining', error: 'Shutting down' }, 'unavailable', 'Shutting down');
    }
    await this.assertDatabaseUp();
    return { status: 'ready', database: 'up', success: true };
  }

  private async assertDatabaseUp(): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw ApiError.raw(HttpStatus.SERVICE_UNAVAILABLE, { success: false, status: 'error', database: 'down', error: 'Database unreachable' }, 'unavailable', 'Database unreachable');
    }
  }
}
