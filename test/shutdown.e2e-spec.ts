import { startServerProcess } from './support/server-process';
import { createScratchDatabase, databaseKind } from './support/test-app';

jest.setTimeout(60000);

describe(`liveness, readiness and a graceful stop (${databaseKind})`, () => {
  it('answers live and ready, then on SIGTERM not ready while still serving, and stops cleanly', async () => {
    const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
    const server = await startServerProcess({ ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: 'memory://' }), LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '1500' });
    try {
      expect(await (await fetch(`${server.url}/health/live`)).json()).toEqual({ status: 'ok', success: true });
      expect(await (await fetch(`${server.url}/health/ready`)).json()).toEqual({ status: 'ready', database: 'up', success: true });

      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ success: false, status: 'draining', error: 'Shutting down' });
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/info`)).status).toBe(200);

      expect(await exited).toBe(0);
      const output = server.output();
      expect(output).toContain('Shutting down (SIGTERM): readiness answers 503 for 1500 ms before the port closes');
      expect(output).toMatch(/Stopped, \d+ ms after SIGTERM/);
      await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
    } finally {
      await server.kill('SIGKILL');
      await scratch?.drop();
    }
  });
});
