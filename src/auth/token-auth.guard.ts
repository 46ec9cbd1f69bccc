import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '../core/http/api-error';
import { IS_PUBLIC } from './public.decorator';
import { TOKEN_STRATEGY } from './token.strategy';
import { asText } from '../core/text/as-text';

/** Every route needs a valid login unless marked @Public(); a missing or bad one is Rocket.Chat's 401. */
@Injectable()
export class TokenAuthGuard extends AuthGuard(TOKEN_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error instanceof Error ? error : new Error(asText(error));
    if (!user) throw ApiError.unauthenticated();
    return user;
  }
}
