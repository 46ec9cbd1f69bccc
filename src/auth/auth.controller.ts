import { Body, Controller, Ip, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { ajv } from '../core/http/ajv-messages';
import { ApiError } from '../core/http/api-error';
import { toApiMe } from '../users/user.mapper';
import { ApiLoggedIn } from './api-logged-in.decorator';
import { AuthService } from './auth.service';
import { AuthenticatedRequest } from './authenticated-user';
import { LoginDto } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';
import { Public } from './public.decorator';

/** Logins are rate-limited per address (LOGIN_RATE_LIMIT; see create-app.ts). */
const LOGIN_RATE_LIMITED = { rateLimit: {} };

@ApiTags('authentication')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Public()
  @Post('login')
  @RouteConfig(LOGIN_RATE_LIMITED)
  async login(@Body() body: LoginDto, @Ip() address: string) {
    const identifier = body.user ?? body.username ?? body.email;
    if (!identifier) throw ApiError.invalidParams([ajv.required('user'), ajv.required('username'), ajv.oneOf]);
    await this.throttle.assertAllowed(identifier, address);
    const session = await this.auth.login(identifier, body.password);
    if (!session) {
      await this.throttle.failed(identifier, address);
      throw ApiError.raw(401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' }, 'unauthenticated', 'Unauthorized');
    }
    await this.throttle.succeeded(identifier);
    return { status: 'success', data: { userId: session.user.id, authToken: session.authToken, me: toApiMe(session.user) } };
  }

  @Post('logout')
  @ApiLoggedIn()
  async logout(@Req() request: AuthenticatedRequest) {
    await this.auth.logout(request.authTokenHash as string);
    return { status: 'success', data: { message: "You've been logged out!" } };
  }
}
