import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface SinkReply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer this much later (a slow target). */
  delayMs?: number;
}

/** A real HTTP server on loopback that records every request and answers as told. */
export class Sink {
  readonly received: Received[] = [];
  reply: (request: Received) => SinkReply = () => ({ status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
  private server!: Server;

  static async start(): Promise<Sink> {
    const sink = new Sink();
    sink.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        sink.received.push(received);
        const answer = sink.reply(received);
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(answer.status ?? 200, answer.headers ?? {});
          res.end(answer.body ?? '');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests that arrived at `path`, their bodies parsed as JSON. */
  at(path: string): (Received & { json: any })[] {
    return this.received.filter((r) => r.url === path).map((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : undefined }));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
