import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { PermissionsService } from '../authorization/permissions.service';
import { secretsEqual } from '../core/ids/secret-compare';
import { ALL_MANAGE_PERMISSIONS } from '../integrations/integration-grants';
import { PERSONAL_ACCESS_TOKENS_PERMISSION } from '../auth/personal-access-tokens.service';
import { UiRequest } from './ui-request';

/**
 * Scripts only from Hookline itself (no inline script, no eval). Styles from Hookline, plus the
 * one style element the script editor (CodeMirror) adds, which carries this response's nonce.
 */
const contentSecurityPolicy = (styleNonce: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** What the navigation shows; the server checks each page again on its own. */
const NAV_PERMISSIONS = [...ALL_MANAGE_PERMISSIONS, 'view-user-administration', 'access-permissions', PERSONAL_ACCESS_TOKENS_PERMISSION];

/** Renders a page inside the layout with the caller, the form token and the navigation they may use. */
@Injectable()
export class UiPages {
  constructor(private readonly permissions: PermissionsService) {}

  async render(request: UiRequest, reply: FastifyReply, view: string, data: Record<string, unknown> = {}, status = 200): Promise<FastifyReply> {
    const user = request.user;
    const held = user ? await this.permissions.granted(user.roles, NAV_PERMISSIONS) : new Set<string>();
    const nav = {
      integrations: ALL_MANAGE_PERMISSIONS.some((p) => held.has(p)),
      users: held.has('view-user-administration'),
      permissions: held.has('access-permissions'),
      tokens: held.has(PERSONAL_ACCESS_TOKENS_PERMISSION),
    };
    const styleNonce = randomBytes(16).toString('base64');
    secureHeaders(reply, styleNonce);
    const notice = noticeOf(request);
    return reply.status(status).view(`${view}.hbs`, { me: user ? { id: user.id, username: user.username } : null, csrf: request.csrfToken, nav, styleNonce, notice, ...data });
  }

  /**
   * After a successful post: the next page is a GET (reloading it posts nothing twice), and shows
   * `notice`. The notice travels in the URL with a signature bound to the session, so a link made
   * elsewhere cannot put words of its own on a Hookline page.
   */
  redirect(request: UiRequest, reply: FastifyReply, to: string, notice?: string): FastifyReply {
    const signed = notice && request.csrfToken ? `notice=${encodeURIComponent(notice)}&n=${noticeSignature(request.csrfToken, notice)}` : '';
    return reply.redirect(signed ? `${to}${to.includes('?') ? '&' : '?'}${signed}` : to, 303);
  }
}

const noticeSignature = (key: string, notice: string) => createHmac('sha256', key).update(`notice:${notice}`).digest('base64url').slice(0, 22);

/** The notice of this page's URL, if this session's redirect signed it. */
function noticeOf(request: UiRequest): string | undefined {
  const { notice, n } = (request.query ?? {}) as { notice?: unknown; n?: unknown };
  if (typeof notice !== 'string' || typeof n !== 'string' || !request.csrfToken) return undefined;
  return secretsEqual(n, noticeSignature(request.csrfToken, notice)) ? notice : undefined;
}

function secureHeaders(reply: FastifyReply, styleNonce: string): void {
  reply
    .header('content-security-policy', contentSecurityPolicy(styleNonce))
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-store');
}
