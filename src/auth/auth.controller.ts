import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ajv } from '../core/http/ajv-messages';
import { ApiError } from '../core/http/api-error';
import { toApiMe } from '../users/user.mapper';
import { AuthService } from './auth.service';
import { AuthenticatedRequest } from './authenticated-user';
import { LoginDto } from './dto/login.dto';
import { Public } from './public.decorator';

@ApiTags('authentication')
@Controller('api/v1')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto) {
    const identifier = body.user ?? body.username ?? body.email;
    if (!identifier) throw ApiError.invalidParams([ajv.required('user'), ajv.required('username'), ajv.oneOf]);
    const session = await this.auth.login(identifier, body.password);
    if (!session) throw new ApiError(401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' });
    return { status: 'success', data: { userId: session.user.id, authToken: session.authToken, me: toApiMe(session.user) } };
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() request: AuthenticatedRequest) {
    await this.auth.logout(request.authTokenHash as string);
    return { status: 'success', data: { message: "You've been logged out!" } };
  }
}
