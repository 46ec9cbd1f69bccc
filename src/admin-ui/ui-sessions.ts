import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { AuthService } from '../auth/auth.service';
import { hashLoginToken } from '../auth/login-token';
import { AppConfig } from '../core/config/app-config';
import { secretsEqual } from '../core/ids/secret-compare';
import { User } from '../users/entities/user.entity';
import { flashKeyFor } from './ui-flash';
import { UiRequest } from './ui-request';

const SESSION_COOKIE = 'hookline_session';
/** Before login there is no session to bind a form to: a random value in a cookie and in the form must match. */
export const ANONYMOUS_CSRF_COOKIE = 'hookline_csrf';

/**
 * Admin UI sessions are the API's login tokens (one table, one expiry, logout ends both) kept in
 * an HttpOnly, SameSite=Strict cookie. A form's CSRF token is an HMAC of the session token: it
 * needs no storage, holds across server processes, and cannot be made without the cookie.
 */
@Injectable()
export class UiSessions {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** The session of this request, or null (no cookie, a wrong or expired token, an inactive user). */
  async read(request: UiRequest): Promise<{ user: User; tokenHash: string; csrfToken: string; flashKey: Buffer } | null> {
    const cookie = request.cookies?.[SESSION_COOKIE];
    const split = cookie?.indexOf(':') ?? -1;
    if (!cookie || split < 1) return null;
    const token = cookie.slice(split + 1);
    const session = await this.auth.authenticate(cookie.slice(0, split), token);
    return session ? { ...session, csrfToken: csrfFor(token), flashKey: flashKeyFor(token) } : null;
  }

  /** Checks the credentials and sets the session cookie; false when they are wrong. */
  async open(request: UiRequest, reply: FastifyReply, identifier: string, password: string): Promise<boolean> {
    const login = await this.auth.login(identifier, password);
    if (!login) return false;
    this.setSession(request, reply, login.user.id, login.authToken);
    return true;
  }

  async close(request: UiRequest, reply: FastifyReply): Promise<void> {
    if (request.authTokenHash) await this.auth.logout(request.authTokenHash);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** The anonymous form token, set as a cookie when the browser has none yet. */
  anonymousCsrf(request: UiRequest, reply: FastifyReply): string {
    const existing = request.cookies?.[ANONYMOUS_CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(ANONYMOUS_CSRF_COOKIE, token, { ...cookieFlags(request), path: '/ui' });
    // The guard checks a post against what this request carried: a first visit posts nothing.
    return token;
  }

  private setSession(request: UiRequest, reply: FastifyReply, userId: string, token: string): void {
    request.authTokenHash = hashLoginToken(token);
    // What this response signs (a notice on the next page) belongs to the new session already.
    request.csrfToken = csrfFor(token);
    request.flashKey = flashKeyFor(token);
    reply.setCookie(SESSION_COOKIE, `${userId}:${token}`, { ...cookieFlags(request), path: '/', maxAge: this.config.loginExpirationDays * 86_400 });
  }
}

const cookieFlags = (request: UiRequest) => ({ httpOnly: true, sameSite: 'strict' as const, secure: request.protocol === 'https' });

export const csrfFor = (sessionToken: string) => createHmac('sha256', sessionToken).update('hookline-ui-csrf').digest('base64url');

/** The token a posted form carries (the `_csrf` field, or the header small scripts send). */
export function csrfMatches(request: UiRequest, expected: string): boolean {
  const header = request.headers['x-csrf-token'];
  const sent = typeof request.body?._csrf === 'string' ? request.body._csrf : typeof header === 'string' ? header : '';
  return sent.length > 0 && secretsEqual(sent, expected);
}

/** A multipart form's token: its first part must be `_csrf` with this session's token (see UiRouteOptions.multipart). */
export function multipartCsrfMatches(part: { type: string; fieldname: string; value?: unknown } | undefined, expected: string | undefined): boolean {
  return Boolean(expected) && part?.type === 'field' && part.fieldname === '_csrf' && typeof part.value === 'string' && secretsEqual(part.value, expected as string);
}
