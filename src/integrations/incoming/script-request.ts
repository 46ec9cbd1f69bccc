import { User } from '../../users/entities/user.entity';
import { HookBody } from './hook-body';

/** A hook call as the incoming service sees it. */
export interface HookRequest {
  method: string;
  url: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: HookBody | undefined;
  rawBody: string;
}

/** The `request` argument of `process_incoming_request` (§4.4). */
export function incomingScriptRequest(request: HookRequest, user: User) {
  const url = new URL(request.url, 'http://hookline.invalid');
  return {
    url: { hash: url.hash, search: url.search, query: request.query, pathname: url.pathname, path: request.url },
    url_raw: request.url,
    url_params: request.params,
    content: request.body ?? {},
    body: request.body ?? {},
    content_raw: request.rawBody,
    headers: request.headers,
    user: { _id: user.id, name: user.name ?? '', username: user.username },
  };
}
