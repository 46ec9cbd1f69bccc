import type { FastifyReply } from 'fastify';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { UiRequest } from './ui-request';

const FLASH_COOKIE = 'hookline_flash';
const FLASH_MAX_AGE_S = 300;

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
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', request.flashKey, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify({ path, flash }), 'utf8'), cipher.final()]);
  const value = [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
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
    const [iv, tag, sealed] = value.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return JSON.parse(Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8')) as { path: string; flash: Flash };
  } catch {
    // Another session's, tampered with or cut: nothing to show.
    return undefined;
  }
}
