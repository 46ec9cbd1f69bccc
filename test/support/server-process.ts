import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for the failure message. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

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
 * Starts Hookline as its own OS process (the real main.ts, through ts-node) so a test can kill it
 * for real; resolves once /health answers.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const root = join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--no-node-snapshot', '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, TEST_MODE: 'true', LOG_LEVEL: 'warn', ...env, PORT: String(port), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start within 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
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

const ADMIN = 'rocketchat.internal.admin.test';

type Json = Record<string, any>;

/** A minimal client for a server in another process. */
export async function adminOf(url: string) {
  const login = (await (await fetch(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: ADMIN, password: ADMIN }) })).json()) as Json;
  const headers = { 'content-type': 'application/json', 'x-user-id': login.data.userId, 'x-auth-token': login.data.authToken };
  return {
    post: async (path: string, body: unknown) => (await (await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Json,
    put: async (path: string, body: unknown) => (await (await fetch(`${url}${path}`, { method: 'PUT', headers, body: JSON.stringify(body) })).json()) as Json,
    get: async (path: string) => (await (await fetch(`${url}${path}`, { headers })).json()) as Json,
  };
}
