import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';

export const UI_ROUTE = Symbol('UI_ROUTE');

export interface UiRouteOptions {
  /** The page works without a session (setup, login). */
  anonymous?: boolean;
  /**
   * Takes multipart/form-data (a file upload), whose fields the guard cannot read before the
   * handler streams them: the handler checks the form token itself (`multipartCsrfMatches`), from
   * the first part, before it reads a file.
   */
  multipart?: boolean;
}

/**
 * An admin UI controller: authenticated by the session cookie instead of Rocket.Chat's headers
 * (UiSessionGuard), every form checked against CSRF, left out of the OpenAPI document.
 */
export const UiRoute = (options: UiRouteOptions = {}) => applyDecorators(Public(), SetMetadata(UI_ROUTE, options), ApiExcludeController());
