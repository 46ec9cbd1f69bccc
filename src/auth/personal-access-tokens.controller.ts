import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { ApiLoggedIn } from './api-logged-in.decorator';
import { CurrentUser } from './authenticated-user';
import { PersonalAccessTokenDto } from './dto/personal-access-token.dto';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

/** Rocket.Chat's answer to a missing or empty name. */
function tokenName(body: PersonalAccessTokenDto): string {
  if (typeof body.tokenName !== 'string' || !body.tokenName.trim()) throw ApiError.failure("The 'tokenName' param is required");
  return body.tokenName;
}

/** `users.*PersonalAccessToken(s)`: tokens for API consumers, used like a login's X-User-Id / X-Auth-Token. */
@ApiTags('users')
@ApiLoggedIn()
@Controller('api/v1')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Post('users.generatePersonalAccessToken')
  async generate(@Body() body: PersonalAccessTokenDto, @CurrentUser() me: User) {
    return { token: await this.tokens.generate(me, tokenName(body), body.bypassTwoFactor ?? false), success: true };
  }

  @Post('users.regeneratePersonalAccessToken')
  async regenerate(@Body() body: PersonalAccessTokenDto, @CurrentUser() me: User) {
    return { token: await this.tokens.regenerate(me, tokenName(body)), success: true };
  }

  @Post('users.removePersonalAccessToken')
  async remove(@Body() body: PersonalAccessTokenDto, @CurrentUser() me: User) {
    await this.tokens.remove(me, tokenName(body));
    return { success: true };
  }

  @Get('users.getPersonalAccessTokens')
  async list(@CurrentUser() me: User) {
    return { tokens: await this.tokens.list(me), success: true };
  }
}
