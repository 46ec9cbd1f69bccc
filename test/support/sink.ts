import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SinkReply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
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
        const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        sink.received.push(received);
        const answer = sink.reply(received);
        res.writeHead(answer.status ?? 200, answer.headers ?? {});
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
