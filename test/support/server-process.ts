import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { listensOn } from './port-owner';

export interface NodeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the process wrote (all of it, or its tail: see `keepOutput`), for checks and failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export type ServerProcess = NodeProcess;

export const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts `node [nodeArgs] script` from the project root on a free port (given as PORT) and
 * resolves once GET `readyPath` answers, within `timeoutMs`. TypeScript runs through ts-node
 * (transpile only). `env` values that are undefined are removed from the inherited environment.
 * `keepOutput` bounds what is kept of the output (at least that many characters, the newest).
 */
export async function startNodeProcess(
  script: string,
  env: Record<string, string | undefined>,
  opts: { nodeArgs?: string[]; readyPath: string; timeoutMs?: number; keepOutput?: number },
): Promise<NodeProcess> {
  const port = await freePort();
  const tsArgs = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), NODE_OPTIONS: '' };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...tsArgs, script], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (opts.keepOutput !== undefined && output.length > 2 * opts.keepOutput) output = output.slice(-opts.keepOutput);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    try {
      // The answer must come from this child, not from another test's server on a reused port.
      if ((await fetch(`${url}${opts.readyPath}`)).ok && listensOn(child.pid as number, port) !== false) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    child,
    output: () => output,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/**
 * Starts Hookline as its own OS process (the real main.ts, through ts-node) so a test can kill it
 * for real; resolves once /health answers.
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startNodeProcess('src/main.ts', { TEST_MODE: 'true', LOG_LEVEL: 'warn', ...env }, { nodeArgs: ['--no-node-snapshot'], readyPath: '/health' });
}

const ADMIN = 'rocketchat.internal.admin.test';

type Json = Record<string, any>;

/** A minimal client for a server in another process. */
export async function adminOf(url: string) {
  const login = (await (await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: ADMIN, password: ADMIN }) })).json()) as Json;
  const headers = { 'content-type': 'application/json', 'x-user-id': login.data.userId, 'x-auth-token': login.data.authToken };
  return {
    userId: login.data.userId as string,
    authToken: login.data.authToken as string,
    post: async (path: string, body: unknown) => (await (await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Json,
    put: async (path: string, body: unknown) => (await (await fetch(`${url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) })).json()) as Json,
    get: async (path: string) => (await (await fetch(`${url}${path}`, { headers })).json()) as Json,
  };
}

/**
 * Runs the real main.ts with `env` (no DATABASE_URL unless given, a free port) until it exits, as
 * a refusal to start must; resolves with its exit code and everything it printed.
 */
export function runUntilExit(env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-node-snapshot', '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: '', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
