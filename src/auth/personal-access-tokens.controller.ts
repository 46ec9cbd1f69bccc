import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { ApiLoggedIn } from './api-logged-in.decorator';
import { CurrentUser } from './authenticated-user';
import { PERSONAL_ACCESS_TOKENS_PERMISSION, PersonalAccessTokensService } from './personal-access-tokens.service';

/**
 * Rocket.Chat's token routes declare no body schema: they read `tokenName` (and `bypassTwoFactor`)
 * and ignore the rest, such as the `loginToken` its own tests send. A plain object type keeps the
 * global validation pipe (which refuses unknown properties) off these bodies.
 */
type TokenBody = Record<string, unknown>;

/** Rocket.Chat's answer to a missing or empty name. */
function tokenName(body: TokenBody | undefined): string {
  const name = body?.tokenName;
  if (typeof name !== 'string' || !name.trim()) throw ApiError.failure("The 'tokenName' param is required");
  return name;
}

function bypassTwoFactor(body: TokenBody | undefined): boolean {
  const bypass = body?.bypassTwoFactor ?? false;
  if (typeof bypass !== 'boolean') throw ApiError.invalidParams(['/bypassTwoFactor must be boolean']);
  return bypass;
}

/**
 * `users.*PersonalAccessToken(s)`: tokens for API consumers, used like a login's X-User-Id /
 * X-Auth-Token. As in Rocket.Chat, the list declares its permission on the route (403
 * error-unauthorized), while generate, regenerate and remove check it inside their method (400
 * not-authorized).
 */
@ApiTags('users')
@ApiLoggedIn()
@Controller('api/v1')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Post('users.generatePersonalAccessToken')
  async generate(@Body() body: TokenBody, @CurrentUser() me: User) {
    return { token: await this.tokens.generate(me, tokenName(body), bypassTwoFactor(body)), success: true };
  }

  @Post('users.regeneratePersonalAccessToken')
  async regenerate(@Body() body: TokenBody, @CurrentUser() me: User) {
    return { token: await this.tokens.regenerate(me, tokenName(body)), success: true };
  }

  @Post('users.removePersonalAccessToken')
  async remove(@Body() body: TokenBody, @CurrentUser() me: User) {
    await this.tokens.remove(me, tokenName(body));
    return { success: true };
  }

  @Get('users.getPersonalAccessTokens')
  @RequirePermissions(PERSONAL_ACCESS_TOKENS_PERMISSION)
  async list(@CurrentUser() me: User) {
    return { tokens: await this.tokens.list(me), success: true };
  }
}
