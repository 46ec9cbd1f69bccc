/**
 * Case 3's end-to-end yardstick: the simplest correct program that does the job Hookline does
 * for a chat message with one outgoing integration, in a process of its own.
 *   POST /api/v1/chat.postMessage  one statement stores the message and its delivery row, committed
 *                                  before the 200 (no auth, no room checks, no scripts)
 *   then undici delivers it to TARGET_URL (64 in flight), and once the target has answered one
 *   statement deletes the delivery row and records a history row. Nothing is batched. A delivery
 *   the target refused is tried again a second later; rows left by an earlier run are delivered at
 *   start (it is durable, as the yardstick must be).
 *   GET /_stats                    statements sent and deliveries made so far.
 * Env: PORT, DATABASE_URL, TARGET_URL.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { Agent, request } from 'undici';

const IN_FLIGHT = 64;

interface Job {
  id: string;
  messageId: string;
  payload: string;
}

async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const target = process.env.TARGET_URL as string;
  const dispatcher = new Agent({ connections: IN_FLIGHT });
  let statements = 0;
  let delivered = 0;
  const query = (sql: string, params: unknown[] = []) => {
    statements += 1;
    return pool.query(sql, params);
  };

  await pool.query(`
    CREATE TABLE IF NOT EXISTS relay_messages (id uuid PRIMARY KEY, room_id text NOT NULL, msg text NOT NULL, ts timestamptz NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS relay_deliveries (id bigserial PRIMARY KEY, message_id uuid NOT NULL, url text NOT NULL, payload jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS relay_history (id bigserial PRIMARY KEY, delivery_id bigint NOT NULL, message_id uuid NOT NULL, url text NOT NULL,
      status int NOT NULL, response text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);

  const queue: Job[] = [];
  const idle: (() => void)[] = [];
  const push = (job: Job) => {
    queue.push(job);
    idle.shift()?.();
  };
  const deliver = async () => {
    for (;;) {
      const job = queue.shift();
      if (!job) {
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      try {
        const response = await request(target, { method: 'POST', body: job.payload, headers: { 'content-type': 'application/json' }, dispatcher });
        const text = await response.body.text();
        if (response.statusCode >= 300) throw new Error(`status ${response.statusCode}`);
        await query(
          `WITH done AS (DELETE FROM relay_deliveries WHERE id = $1)
           INSERT INTO relay_history (delivery_id, message_id, url, status, response) VALUES ($1, $2, $3, $4, $5)`,
          [job.id, job.messageId, target, response.statusCode, text],
        );
        delivered += 1;
      } catch {
        setTimeout(() => push(job), 1000);
      }
    }
  };
  for (let i = 0; i < IN_FLIGHT; i += 1) void deliver();
  const left = await query(`SELECT id::text, message_id::text AS "messageId", payload::text FROM relay_deliveries ORDER BY id`);
  for (const row of left.rows as Job[]) push(row);

  const app = Fastify({ logger: false });
  app.post('/api/v1/chat.postMessage', async (req) => {
    const body = req.body as { roomId?: string; channel?: string; text?: string };
    const messageId = randomUUID();
    const room = body.roomId ?? body.channel ?? 'GENERAL';
    const text = body.text ?? '';
    // Hookline's sendMessage payload, field for field (as the undici baseline's body).
    const payload = JSON.stringify({
      token: 'x'.repeat(24), bot: false, channel_id: room, channel_name: 'general', message_id: messageId,
      timestamp: new Date().toISOString(), user_id: 'u', user_name: 'bench-admin', text, siteUrl: 'http://localhost:3000',
    });
    const { rows } = await query(
      `WITH m AS (INSERT INTO relay_messages (id, room_id, msg) VALUES ($1, $2, $3))
       INSERT INTO relay_deliveries (message_id, url, payload) VALUES ($1, $4, $5) RETURNING id::text`,
      [messageId, room, text, target, payload],
    );
    push({ id: (rows[0] as { id: string }).id, messageId, payload });
    return { success: true, message: { _id: messageId, rid: room, msg: text } };
  });
  app.get('/_stats', async () => ({ statements, delivered }));
  app.get('/health', async () => ({ ok: true }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
