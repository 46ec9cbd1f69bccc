import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PERSONAL_ACCESS_TOKENS_PERMISSION, PersonalAccessTokensService } from '../auth/personal-access-tokens.service';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { UiExceptionFilter } from './ui-exception.filter';
import { UiPages } from './ui-pages';
import { setFlash, takeFlash } from './ui-flash';
import { formText, UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

const TOKENS_PAGE = '/ui/account/tokens';

/** The caller's personal access tokens (Rocket.Chat's users.*PersonalAccessToken), for scripts and CI. */
@UiRoute()
@UseFilters(UiExceptionFilter)
@RequirePermissions(PERSONAL_ACCESS_TOKENS_PERMISSION)
@Controller('ui/account/tokens')
export class AccessTokensPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly tokens: PersonalAccessTokensService,
  ) {}

  @Get()
  list(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    return this.page(request, reply, takeFlash(request, reply, TOKENS_PAGE) ?? {});
  }

  @Post()
  async create(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const name = formText(request.body, 'name').trim();
    return this.showOnce(request, reply, name, () => this.tokens.generate(request.user as User, name));
  }

  @Post('regenerate')
  async regenerate(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const name = formText(request.body, 'name');
    return this.showOnce(request, reply, name, () => this.tokens.regenerate(request.user as User, name));
  }

  @Post('remove')
  async remove(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const name = formText(request.body, 'name');
    await this.tokens.remove(request.user as User, name);
    return this.pages.redirect(request, reply, TOKENS_PAGE, `Removed ${name}.`);
  }

  /** A made token is shown once, on the page the redirect leads to (never stored in the clear, never shown again). */
  private async showOnce(request: UiRequest, reply: FastifyReply, name: string, make: () => Promise<string>) {
    if (!name) return this.page(request, reply, { error: 'Name the token.' }, 400);
    try {
      const token = await make();
      setFlash(request, reply, TOKENS_PAGE, { made: { name, token, userId: (request.user as User).id } });
      return this.pages.redirect(request, reply, TOKENS_PAGE);
    } catch (error) {
      if (!ApiError.is(error) || error.status >= 500 || error.denied) throw error;
      return this.page(request, reply, { error: error.message }, error.status);
    }
  }

  private async page(request: UiRequest, reply: FastifyReply, extra: Record<string, unknown>, status = 200) {
    const tokens = await this.tokens.list(request.user as User);
    return this.pages.render(request, reply, 'access-tokens', { title: 'Personal access tokens', tokens, ...extra }, status);
  }
}
