import { readFileSync } from 'node:fs';
import { jsonOrUndefined } from '../../core/http/json-or-undefined';

/** A failure to read the source, said in one line. */
export class ImportSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportSourceError';
  }
}

export type SourceDocument = Record<string, unknown>;

/** mongoexport's extended JSON (`{"$date": …}`, `{"$oid": …}`) as plain values. */
export function plainJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainJson);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === '$oid') return String(record.$oid);
    if (keys.length === 1 && keys[0] === '$date') {
      const date = record.$date;
      const text = typeof date === 'object' && date !== null && '$numberLong' in date ? Number((date as { $numberLong: string }).$numberLong) : date;
      return new Date(text as string | number).toISOString();
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}

/** `mongoexport --jsonArray` of `rocketchat_integrations`, read from a file. */
export function readExportFile(path: string): SourceDocument[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ImportSourceError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseExport(text, path);
}

/** The documents of an export's text (`name` says where it came from, in errors). */
export function parseExport(text: string, name: string): SourceDocument[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportSourceError(`${name} is not JSON (${(error as Error).message}); export with mongoexport --jsonArray`);
  }
  if (!Array.isArray(parsed)) throw new ImportSourceError(`${name} holds no JSON array; export with mongoexport --jsonArray`);
  return parsed.map((d) => plainJson(d) as SourceDocument);
}

/** A GET with headers, answering the status and the body's text (the command uses Node's fetch; the server, its URL policy's client). */
export type HttpGet = (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

const fetchGet: HttpGet = async (url, headers) => {
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.text() };
};

/** Every integration of a Rocket.Chat server (or another Hookline) through its REST API, a page at a time. */
export async function fetchIntegrations(baseUrl: string, userId: string, token: string, get: HttpGet = fetchGet, pageSize = 100): Promise<SourceDocument[]> {
  const all: SourceDocument[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/integrations.list?count=${pageSize}&offset=${offset}`;
    let response: { status: number; body: string };
    try {
      response = await get(url, { 'x-user-id': userId, 'x-auth-token': token });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ImportSourceError(`cannot reach ${baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    if (response.status === 401) throw new ImportSourceError(`${baseUrl} refused the user id and token (401): give a Rocket.Chat admin's personal access token`);
    if (response.status === 403) throw new ImportSourceError(`${baseUrl} answered 403: the user needs the manage-incoming-integrations and manage-outgoing-integrations permissions`);
    const body = jsonOrUndefined(response.body) as { integrations?: unknown; total?: number } | undefined;
    if (response.status >= 300 || !body || !Array.isArray(body.integrations)) throw new ImportSourceError(`${url} answered ${response.status} without a list of integrations`);
    all.push(...(body.integrations as SourceDocument[]));
    if (body.integrations.length < pageSize || (typeof body.total === 'number' && all.length >= body.total)) return all;
  }
}
