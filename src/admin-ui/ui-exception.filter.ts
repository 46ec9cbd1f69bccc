import { ArgumentsHost, Catch, ExceptionFilter, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { ApiError } from '../core/http/api-error';
import { toErrorResponse } from '../core/http/error-response';
import { CsrfRefused, LoginRequired } from './ui-errors';
import { UiPages } from './ui-pages';
import { UiRequest } from './ui-request';

/**
 * Errors on admin pages become pages for a browser: no session goes to the login form (and back
 * afterwards), a refusal or a bad request shows the API's own message, a server fault is logged and
 * apologised for. Other clients get the same status with Rocket.Chat's JSON envelope.
 */
@Catch()
@Injectable()
export class UiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly pages: UiPages,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AdminUi');
  }

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<UiRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const response = toErrorResponse(exception);
    const { unexpected } = response;
    // The API answers a refusal with 400 in some of Rocket.Chat's methods; a page says 403.
    const status = ApiError.is(exception) && exception.denied ? 403 : response.status;
    // A browser (it asks for HTML) gets pages and redirects; any other client, the API's JSON envelope.
    const browser = String(request.headers.accept ?? '').includes('text/html');
    if (exception instanceof LoginRequired || (status === 401 && !(exception instanceof CsrfRefused))) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      if (browser) void reply.redirect(`/ui/login${next}`, 303);
      else void reply.status(401).send(ApiError.unauthenticated().body);
      return;
    }
    if (unexpected && !(exception instanceof CsrfRefused)) {
      this.logger.error({ err: exception, reqId: request.id }, 'Unexpected error on admin page %s %s', request.method, request.url);
    }
    const [shownStatus, message] =
      exception instanceof CsrfRefused
        ? [403, exception.message]
        : unexpected
          ? [500, 'Something went wrong on the server; it has been logged.']
          : [status, status === 403 ? 'You do not have permission to do this.' : response.message || 'The request failed.'];
    if (!browser) {
      void reply.status(shownStatus).send(shownStatus === 403 && !(exception instanceof CsrfRefused) ? ApiError.forbidden().body : { success: false, error: message });
      return;
    }
    try {
      await this.pages.render(request, reply, 'error', { title: `Error ${shownStatus}`, status: shownStatus, message }, shownStatus);
    } catch (error) {
      this.logger.error({ err: error }, 'The error page itself failed');
      void reply.status(shownStatus).type('text/plain').send(message);
    }
  }
}
