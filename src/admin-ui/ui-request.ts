import type { AuthenticatedRequest } from '../auth/authenticated-user';

/** A request to an admin page: `user` when a session is open, and the token its forms must carry. */
export type UiRequest = AuthenticatedRequest & {
  csrfToken?: string;
  /** Seals what a post hands the next page (ui-flash.ts); only with a session. */
  flashKey?: Buffer;
  body?: Record<string, unknown>;
  cookies?: Record<string, string | undefined>;
};

/** A form field that may repeat (checkboxes of one name): its text values, none when missing. */
export const formList = (body: Record<string, unknown> | undefined, name: string): string[] => {
  const value = body?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
};

/** A form's text field; a repeated or missing field reads as ''. */
export const formText = (body: Record<string, unknown> | undefined, name: string): string => {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
};
