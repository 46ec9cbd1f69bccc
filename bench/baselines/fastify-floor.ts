/**
 * The two baselines of the incoming-ingest case, in a process of their own:
 *   POST /ok      answers 200 (the HTTP ceiling of Fastify on this machine)
 *   POST /insert  parses the JSON body and inserts one row into PostgreSQL through `pg`
 *                 (the durable-write floor), with the same pool size Hookline uses.
 * Env: PORT, DATABASE_URL.
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  await pool.query('CREATE TABLE IF NOT EXISTS floor_messages (id bigserial PRIMARY KEY, body jsonb NOT NULL, ts timestamptz NOT NULL DEFAULT now())');
  const app = Fastify({ logger: false });
  app.post('/ok', async () => ({ success: true }));
  app.post('/insert', async (request) => {
    await pool.query('INSERT INTO floor_messages (body) VALUES ($1)', [request.body]);
    return { success: true };
  });
  app.get('/_stats', async () => {
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM floor_messages');
    return { rows: Number(rows[0].n) };
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
