import { DataSource } from 'typeorm';
import { RowCountsFolder } from '../src/core/database/row-counts-folder';
import { Client, loginAsAdmin } from './support/api';
import { eventually } from './support/eventually';
import { createIntegration, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** Page totals come from per-day counts that triggers keep; these tests hold them against count(*). */
describe(`list totals and deep pages (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let db: DataSource;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ outgoing: { allowPrivate: true, deny: [] } });
    admin = await loginAsAdmin(t);
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Per key: what the counts say and what count(*) says, for every key either knows. */
  async function countsAgainstRows(prefix: string, table: string, key: string): Promise<{ key: string; counted: number; rows: number }[]> {
    return db.query(
      `WITH counted AS (SELECT ${key} AS key, sum(n)::int AS n FROM (
           SELECT ${key}, n FROM ${prefix}_counts UNION ALL SELECT ${key}, n FROM ${prefix}_count_deltas) c GROUP BY 1),
         actual AS (SELECT ${key} AS key, count(*)::int AS n FROM ${table} GROUP BY 1)
       SELECT coalesce(c.key, a.key) AS key, coalesce(c.n, 0) AS counted, coalesce(a.n, 0) AS rows
       FROM counted c FULL JOIN actual a ON a.key = c.key ORDER BY 1`,
    );
  }
  const expectExact = (pairs: { counted: number; rows: number }[]) => {
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) expect(pair.counted).toBe(pair.rows);
  };
  const fold = () => Promise.all([0, 1].map(() => t.app.get<RowCountsFolder, { tick(): Promise<number> }>(RowCountsFolder).tick()));

  it('keeps message counts exact through concurrent posts, deletes and room removals', async () => {
    const rooms: string[] = [];
    for (const name of ['counted-a', 'counted-b', 'counted-c']) {
      rooms.push((await admin.post('/api/v1/channels.create', { name }).expect(200)).body.channel._id);
    }
    const posted = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const res = await admin.post('/api/v1/chat.postMessage', { roomId: rooms[i % 3], text: `m${i}` }).expect(200);
        return { roomId: rooms[i % 3], msgId: res.body.message._id as string };
      }),
    );
    const [folding] = await Promise.all([
      fold(),
      ...posted.filter((_, i) => i % 4 === 0).map((p) => admin.post('/api/v1/chat.delete', p).expect(200)),
      ...Array.from({ length: 30 }, (_, i) => admin.post('/api/v1/chat.postMessage', { roomId: rooms[i % 2], text: `n${i}` }).expect(200)),
      admin.post('/api/v1/channels.delete', { roomId: rooms[2] }).expect(200),
    ]);
    expect(folding).toHaveLength(2);
    expectExact(await countsAgainstRows('room_message', 'messages', 'room_id'));
    await fold();
    const afterFold = await countsAgainstRows('room_message', 'messages', 'room_id');
    expectExact(afterFold);
    // A removed room leaves no counts behind once folded.
    expect(afterFold.map((p) => p.key)).not.toContain(rooms[2]);
    for (const roomId of rooms.slice(0, 2)) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM messages WHERE room_id = $1`, [roomId]);
      const page = await admin.get('/api/v1/channels.messages', { roomId, count: 5 }).expect(200);
      expect(page.body.total).toBe(n);
    }
  });

  it('answers every offset of a room spread over many days exactly as a plain OFFSET would', async () => {
    const roomId = (await admin.post('/api/v1/channels.create', { name: 'many-days' }).expect(200)).body.channel._id;
    // 600 messages over 40 days, several sharing a timestamp (the id breaks the tie), loaded by SQL.
    await db.query(
      `INSERT INTO messages (id, room_id, msg, ts, user_id, username, updated_at)
       SELECT 'deep' || lpad(g::text, 5, '0'), $1, 'm' || g, timestamptz '2026-01-01 00:00Z' + ((g / 3) * interval '97 minutes'), $2, 'admin', now()
       FROM generate_series(1, 600) g`,
      [roomId, admin.userId],
    );
    const reference = (await db.query(`SELECT id FROM messages WHERE room_id = $1 ORDER BY ts DESC, id DESC`, [roomId])).map((r: { id: string }) => r.id);
    for (const offset of [0, 1, 13, 44, 45, 46, 299, 300, 450, 597, 599, 600, 601, 5000]) {
      const page = await admin.get('/api/v1/channels.messages', { roomId, offset, count: 7 }).expect(200);
      expect({ offset, ids: page.body.messages.map((m: { _id: string }) => m._id) }).toEqual({ offset, ids: reference.slice(offset, offset + 7) });
      expect(page.body.total).toBe(600);
      const history = await admin.get('/api/v1/channels.history', { roomId, offset, count: 7 }).expect(200);
      expect(history.body.messages.map((m: { _id: string }) => m._id)).toEqual(reference.slice(offset, offset + 7));
    }
  });

  it('keeps history counts exact as deliveries record, update and clear them, and pages history by day', async () => {
    const integration = await createIntegration(admin, outgoingBody({ channel: '#general', urls: [`${sink.url}/counted`], triggerWords: ['count-me'] }));
    await Promise.all(Array.from({ length: 25 }, (_, i) => admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: `count-me ${i}` }).expect(200)));
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM integration_history WHERE integration_id = $1 AND step = 'after-http-call'`, [integration._id]))[0].n,
      (n: number) => n === 25,
      15_000,
    );
    expectExact(await countsAgainstRows('integration_history', 'integration_history', 'integration_id'));
    // Records moved to earlier days (as if written then) move their counts with them.
    await db.query(
      `UPDATE integration_history SET updated_at = updated_at - (abs(hashtext(id)) % 9) * interval '1 day' WHERE integration_id = $1`,
      [integration._id],
    );
    await fold();
    expectExact(await countsAgainstRows('integration_history', 'integration_history', 'integration_id'));
    const reference = (
      await db.query(`SELECT id FROM integration_history WHERE integration_id = $1 ORDER BY updated_at DESC, id DESC`, [integration._id])
    ).map((r: { id: string }) => r.id);
    for (const offset of [0, 3, 11, 24, 25]) {
      const page = await admin.get('/api/v1/integrations.history', { id: integration._id, offset, count: 4 }).expect(200);
      expect({ offset, ids: page.body.history.map((h: { _id: string }) => h._id) }).toEqual({ offset, ids: reference.slice(offset, offset + 4) });
      expect(page.body.total).toBe(25);
    }
    await admin.post('/api/v1/integrations.clearHistory', { integrationId: integration._id }).expect(200);
    expect((await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200)).body.total).toBe(0);
    for (const pair of await countsAgainstRows('integration_history', 'integration_history', 'integration_id')) expect(pair.counted).toBe(pair.rows);
  });
});
