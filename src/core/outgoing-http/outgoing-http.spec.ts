import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { OutgoingHttp } from './outgoing-http';

describe('OutgoingHttp (a real local server)', () => {
  let server: Server;
  let base: string;
  let http: OutgoingHttp;
  const drips = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/drip') {
        // Headers at once, then a byte every 100 ms: never idle long enough for bodyTimeout.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const drip = setInterval(() => res.write('.'), 100);
        drips.add(drip);
        res.on('close', () => clearInterval(drip));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    http = new OutgoingHttp({ outgoing: { allowPrivate: true, deny: [] } } as unknown as AppConfig);
  });

  afterAll(async () => {
    for (const drip of drips) clearInterval(drip);
    await http.onModuleDestroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers with status, headers and body', async () => {
    const response = await http.send(`${base}/ok`, { method: 'POST', body: '{}', timeoutMs: 2000 });
    expect(response).toMatchObject({ status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
  });

  it('gives up on a body that never ends once the whole exchange has taken timeoutMs', async () => {
    const started = Date.now();
    await expect(http.send(`${base}/drip`, { timeoutMs: 500 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});
