import type { FastifyReply } from 'fastify';
import { createHmac } from 'node:crypto';
import { SecretCipher } from '../integrations/secrets/secret-cipher';
import { UiRequest } from './ui-request';

const FLASH_COOKIE = 'hookline_flash';
const FLASH_MAX_AGE_S = 300;
/** The cipher's authenticated slot: a value sealed for anything else does not open as a flash. */
const FLASH_SLOT = 'hookline-ui-flash';

/** What one page hands the next after a redirect: things to show once (a new secret or token, a test's answer). */
export type Flash = Record<string, unknown>;

/** The key that seals this session's flash: only the session cookie's token gives it, so nothing is stored server-side. */
export const flashKeyFor = (sessionToken: string): Buffer => createHmac('sha256', sessionToken).update('hookline-ui-flash').digest();

/**
 * Post/redirect/get for pages that show something once: the post seals it (AES-256-GCM under the
 * session's key) into a short-lived cookie and redirects; the page at `path` opens it and clears
 * the cookie. Reloading or going Back shows it no more and posts nothing twice, and any process
 * of a cluster can open it.
 */
export function setFlash(request: UiRequest, reply: FastifyReply, path: string, flash: Flash): void {
  if (!request.flashKey) return;
  const value = new SecretCipher(request.flashKey).seal(JSON.stringify({ path, flash }), FLASH_SLOT);
  reply.setCookie(FLASH_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/ui', maxAge: FLASH_MAX_AGE_S });
}

/** The flash meant for `path`, once: the cookie is cleared whenever it is read there. */
export function takeFlash(request: UiRequest, reply: FastifyReply, path: string): Flash | undefined {
  const value = request.cookies?.[FLASH_COOKIE];
  if (!value || !request.flashKey) return undefined;
  const opened = open(value, request.flashKey);
  if (opened && opened.path !== path) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: '/ui' });
  return opened?.flash;
}

function open(value: string, key: Buffer): { path: string; flash: Flash } | undefined {
  try {
    return JSON.parse(new SecretCipher(key).open(value, FLASH_SLOT)) as { path: string; flash: Flash };
  } catch {
    // Another session's, tampered with or cut: nothing to show.
    return undefined;
  }
}
