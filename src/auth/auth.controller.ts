import { Body, Controller, Ip, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTags } from '@nestjs/swagger';
import { toApiMe } from '../users/user.mapper';
import { ApiLoggedIn } from './api-logged-in.decorator';
import { AuthService } from './auth.service';
import { AuthenticatedRequest } from './authenticated-user';
import { LoginDto } from './dto/login.dto';
import { Login } from './login';
import { Public } from './public.decorator';

/** Logins are rate-limited per address (LOGIN_RATE_LIMIT; see create-app.ts). */
const LOGIN_RATE_LIMITED = { rateLimit: {} };

@ApiTags('authentication')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly logins: Login,
  ) {}

  @Public()
  @Post('login')
  @RouteConfig(LOGIN_RATE_LIMITED)
  async login(@Body() body: LoginDto, @Ip() address: string) {
    const session = await this.logins.login(body, address);
    return { status: 'success', data: { userId: session.user.id, authToken: session.authToken, me: toApiMe(session.user) } };
  }

  @Post('logout')
  @ApiLoggedIn()
  async logout(@Req() request: AuthenticatedRequest) {
    await this.auth.logout(request.authTokenHash as string);
    return { status: 'success', data: { message: "You've been logged out!" } };
  }
}
