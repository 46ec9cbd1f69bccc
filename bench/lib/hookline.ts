import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeProcess, sleep, startNode } from './processes';

export const ADMIN = { username: 'bench-admin', password: 'bench-admin-password' };
/** Every bench server serves /metrics with this token (the bench reads its statement counter). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

type Json = Record<string, any>;

export interface Hookline {
  process: NodeProcess;
  url: string;
  /** From spawning the process to /health answering. */
  startupMs: number;
  /** Headers of a logged-in admin. */
  auth: Record<string, string>;
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json>;
  stop(): Promise<void>;
}

/**
 * The built server (`dist/src/main.js`, as `npm start` runs it) in its own process, on a fresh
 * PostgreSQL database (`databaseUrl`) or, without one, on the embedded PostgreSQL in a scratch
 * data folder (or `keepDataDir`, which is kept at stop). Logs at the default level (info) go to
 * the process's pipe, as they would to a log collector.
 */
export async function startHookline(databaseUrl: string | undefined, env: Record<string, string> = {}, keepDataDir?: string): Promise<Hookline> {
  const dataDir = databaseUrl ? undefined : (keepDataDir ?? mkdtempSync(join(tmpdir(), 'hookline-bench-')));
  const started = Date.now();
  const process_ = await startNode(
    process.env.BENCH_SERVER_SCRIPT ?? 'dist/src/main.js',
    {
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: undefined, DATA_DIR: dataDir }),
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASS: ADMIN.password,
      ADMIN_EMAIL: 'bench@example.com',
      HOOK_RATE_LIMIT: '0',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      ...env,
    },
    // BENCH_CPU_PROF=<dir>: every server writes a CPU profile there when it stops (node --cpu-prof).
    { nodeArgs: ['--no-node-snapshot', ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], readyPath: '/health', timeoutMs: 120_000 },
  );
  const startupMs = Date.now() - started;
  const url = process_.url;
  const login = (await (
    await fetch(`${url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: ADMIN.username, password: ADMIN.password }),
    })
  ).json()) as Json;
  if (login.status !== 'success') throw new Error(`bench admin could not log in: ${JSON.stringify(login)}`);
  const auth = { 'x-user-id': login.data.userId as string, 'x-auth-token': login.data.authToken as string };
  const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${url}/api/v1/${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Json;
    if (!json.success) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    process: process_,
    url,
    startupMs,
    auth,
    api,
    stop: async () => {
      await process_.stop();
      if (dataDir && !keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory once the server has been idle for a moment after start. */
export async function idleRssMb(server: Hookline): Promise<number> {
  await sleep(3000);
  return server.process.rssMb();
}

/** Number of messages stored in a room (its `total` in channels.messages). */
export async function storedMessages(server: Hookline, roomName: string): Promise<number> {
  const page = await server.api('GET', `channels.messages?roomName=${roomName}&count=1`);
  return page.total as number;
}
