import { Client } from 'pg';
import { Hookline } from '../lib/hookline';
import { load } from '../lib/load';

/** Readers at once, as the issue measured. */
const READERS = 8;
export const SCALE_MESSAGES = 1_000_000;
export const SCALE_HISTORY = 500_000;
/** The loaded messages span this many days (about 2,700 a day); the dense room holds as many in one day. */
const SPREAD_DAYS = 365;
const HISTORY_SPREAD_DAYS = 60;

export interface ListFigures {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/** The rooms and integration the list calls read. */
export interface ScaleSubjects {
  integrationId: string;
  denseRoomId: string;
}

/** GETs `path` from READERS connections for `seconds` (or from one connection when `readers` is 1). */
async function reads(server: Hookline, path: string, seconds: number, readers = READERS): Promise<ListFigures> {
  const figures = await load({ url: `${server.url}/api/v1/${path}`, method: 'GET', headers: server.auth, connections: readers, duration: seconds });
  return { p50: figures.p50, p99: figures.p99, rps: figures.rps, errors: figures.errors };
}

/** An outgoing integration whose history is read, and an empty room for the dense load. */
export async function createScaleSubjects(server: Hookline): Promise<ScaleSubjects> {
  const { integration } = await server.api('POST', 'integrations.create', {
    type: 'webhook-outgoing',
    name: 'bench scale history',
    enabled: false,
    event: 'sendMessage',
    username: 'rocket.cat',
    channel: '#general',
    urls: ['http://127.0.0.1:9/never'],
    scriptEnabled: false,
  });
  const { channel } = await server.api('POST', 'channels.create', { name: 'bench-dense' });
  return { integrationId: integration._id as string, denseRoomId: channel._id as string };
}

export type ListCalls = Record<string, string>;

/** The list calls of the scale case, first page (50) each. */
export function listCalls(s: ScaleSubjects): ListCalls {
  return {
    'channels.messages': 'channels.messages?roomId=GENERAL&count=50',
    'channels.history': 'channels.history?roomId=GENERAL&count=50',
    'integrations.history': `integrations.history?id=${s.integrationId}&count=50`,
  };
}

/** Every list call with READERS readers for `seconds` each. */
export async function measureLists(server: Hookline, calls: ListCalls, seconds: number): Promise<Record<string, ListFigures>> {
  const out: Record<string, ListFigures> = {};
  for (const [name, path] of Object.entries(calls)) {
    await reads(server, path, 1); // warm-up
    out[name] = await reads(server, path, seconds);
  }
  return out;
}

/** Deep pages: offset 500,000 of a million messages, spread over a year and all in one day, by READERS and by one reader. */
export async function measureDeepPages(server: Hookline, s: ScaleSubjects, seconds: number): Promise<Record<string, ListFigures>> {
  const calls = {
    'channels.messages offset=500000': 'channels.messages?roomId=GENERAL&count=50&offset=500000',
    'integrations.history offset=250000': `integrations.history?id=${s.integrationId}&count=50&offset=250000`,
    'channels.messages offset=500000, one day': `channels.messages?roomId=${s.denseRoomId}&count=50&offset=500000`,
  };
  const out: Record<string, ListFigures> = {};
  for (const [name, path] of Object.entries(calls)) {
    await reads(server, path, 1);
    out[name] = await reads(server, path, seconds);
    out[`${name}, one reader`] = await reads(server, path, seconds, 1);
  }
  return out;
}

/** The rows the small database holds: two full first pages. */
export const SMALL_ROWS = 100;

/**
 * Bulk SQL, not the API: messages numbered `from` to `to` of a million in #general over a year
 * (each with its consumed outbox event, as posting leaves them) and as many in one day in the
 * dense room, and history records numbered `from` to `to` (at most 500,000) of the integration
 * over 60 days. Then VACUUM ANALYZE, as autovacuum would after inserts this large. Returns the
 * seconds it took.
 */
export async function bulkLoad(databaseUrl: string, s: ScaleSubjects, first: number, last: number): Promise<number> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [{ id: userId, username }] = (await db.query(`SELECT id, username FROM users WHERE username = 'rocket.cat'`)).rows;
    const step = Math.round((SPREAD_DAYS * 86_400_000) / SCALE_MESSAGES);
    for (let from = first; from <= Math.min(last, SCALE_MESSAGES); from += 100_000) {
      const to = Math.min(last, SCALE_MESSAGES, from + 99_999);
      await db.query(
        `WITH rows AS (
           SELECT 'bulk' || g AS id, 'bulk message number ' || g || ' with a little text to it' AS msg,
                  now() - make_interval(secs => ($5::bigint - g) * $4::bigint / 1000.0) AS ts
           FROM generate_series($1::bigint, $2::bigint) g),
         added AS (
           INSERT INTO messages (id, room_id, msg, ts, user_id, username, user_name, updated_at)
           SELECT id, 'GENERAL', msg, ts, $3, $6, $6, ts FROM rows RETURNING id, msg, ts)
         INSERT INTO outbox_events (event, payload, created_at, consumed_at)
         SELECT 'sendMessage', jsonb_build_object('message', jsonb_build_object('_id', id, 'rid', 'GENERAL', 'msg', msg)), ts, ts FROM added`,
        [from, to, userId, step, SCALE_MESSAGES, username],
      );
      await db.query(
        `INSERT INTO messages (id, room_id, msg, ts, user_id, username, user_name, updated_at)
         SELECT 'dense' || g, $3, 'dense message ' || g, date_trunc('day', now()) - interval '1 day' + g * interval '80 ms', $4, $5, $5, now()
         FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to, s.denseRoomId, userId, username],
      );
    }
    const [{ created_by_id: creator }] = (await db.query(`SELECT created_by_id FROM integrations WHERE id = $1`, [s.integrationId])).rows;
    const historyStep = Math.round((HISTORY_SPREAD_DAYS * 86_400_000) / SCALE_HISTORY);
    for (let from = first; from <= Math.min(last, SCALE_HISTORY); from += 100_000) {
      const to = Math.min(last, SCALE_HISTORY, from + 99_999);
      await db.query(
        `INSERT INTO integration_history (id, integration_id, integration_created_by_id, integration, step, event, data, url, http_result, created_at, updated_at)
         SELECT 'hist' || g, $3::text, $4::text, jsonb_build_object('_id', $3::text, 'name', 'bench scale history'), 'after-http-call', 'sendMessage',
                jsonb_build_object('text', 'message ' || g, 'channel_name', 'general'), 'http://127.0.0.1:9/never', '{"ok":true}',
                now() - make_interval(secs => ($6::bigint - g) * $5::bigint / 1000.0), now() - make_interval(secs => ($6::bigint - g) * $5::bigint / 1000.0)
         FROM generate_series($1::bigint, $2::bigint) g`,
        [from, to, s.integrationId, creator, historyStep, SCALE_HISTORY],
      );
    }
    await db.query('VACUUM ANALYZE messages, outbox_events, integration_history');
  } finally {
    await db.end();
  }
  return Math.round((Date.now() - started) / 1000);
}
