import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { CsrfRefused, LoginRequired } from './ui-errors';
import { UiRequest } from './ui-request';
import { UI_ROUTE, UiRouteOptions } from './ui-route.decorator';
import { ANONYMOUS_CSRF_COOKIE, csrfMatches, UiSessions } from './ui-sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Admin pages: the session cookie names the user (so PermissionsGuard, which runs next, applies
 * @RequirePermissions exactly as on the API), and every post must carry the form token. Other
 * routes pass through untouched.
 */
@Injectable()
export class UiSessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: UiSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const options = this.reflector.getAllAndOverride<UiRouteOptions | undefined>(UI_ROUTE, [context.getHandler(), context.getClass()]);
    if (!options) return true;
    const request = context.switchToHttp().getRequest<UiRequest>();
    const session = await this.sessions.read(request);
    if (session) {
      request.user = session.user;
      request.authTokenHash = session.tokenHash;
      request.flashKey = session.flashKey;
    }
    // An expired session sends to login before anything else: the post changes nothing either way.
    if (!session && !options.anonymous) throw new LoginRequired();
    const expected = session?.csrfToken ?? request.cookies?.[ANONYMOUS_CSRF_COOKIE];
    const checkedByHandler = options.multipart === true && request.isMultipart();
    if (!SAFE_METHODS.has(request.method) && !checkedByHandler && !(expected && csrfMatches(request, expected))) throw new CsrfRefused();
    request.csrfToken = session?.csrfToken ?? this.sessions.anonymousCsrf(request, context.switchToHttp().getResponse<FastifyReply>());
    return true;
  }
}
