/**
 * The webhook target of the benchmarks and the soak, run as its own process so its work does not
 * share an event loop with the load generator. The first path segment chooses how it answers:
 *   /ok/...        200 at once
 *   /slow/...      200 after SINK_SLOW_MS (default 1000)
 *   /flaky/...     every other request (per message) 503, the rest 200
 *   /drop/...      every other request (per message) the socket is destroyed unanswered
 * It records each arrival by path and message id (the `message_id` of an outgoing body, or the
 * body itself) and serves the figures at GET /_stats; POST /_reset forgets everything.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

interface PathStats {
  arrivals: number;
  /** Arrivals that got a 2xx, by message id: how often each was accepted. */
  accepted: Map<string, number>;
  /** Milliseconds from the message's own timestamp to its first accepted arrival. */
  latencies: number[];
  first: number;
  last: number;
}

const slowMs = Number(process.env.SINK_SLOW_MS ?? 1000);
let stats = new Map<string, PathStats>();
/** For /flaky and /drop: which messages were already refused once. */
let refused = new Set<string>();

function statsOf(path: string): PathStats {
  let entry = stats.get(path);
  if (!entry) {
    entry = { arrivals: 0, accepted: new Map(), latencies: [], first: Date.now(), last: 0 };
    stats.set(path, entry);
  }
  return entry;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary() {
  const out: Record<string, unknown> = {};
  for (const [path, s] of stats) {
    const sorted = [...s.latencies].sort((a, b) => a - b);
    let duplicates = 0;
    for (const n of s.accepted.values()) duplicates += n - 1;
    out[path] = {
      arrivals: s.arrivals,
      unique: s.accepted.size,
      duplicates,
      firstAt: s.first,
      lastAt: s.last,
      latencyP50: percentile(sorted, 50),
      latencyP99: percentile(sorted, 99),
      latencyMax: sorted.length ? sorted[sorted.length - 1] : null,
      latencyMean: sorted.length ? Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 100) / 100 : null,
    };
  }
  return out;
}

function identify(body: string): { id: string; timestamp?: number } {
  try {
    const parsed = JSON.parse(body) as { message_id?: unknown; timestamp?: unknown };
    if (typeof parsed.message_id === 'string') {
      const ts = typeof parsed.timestamp === 'string' ? Date.parse(parsed.timestamp) : undefined;
      return { id: parsed.message_id, timestamp: Number.isNaN(ts) ? undefined : ts };
    }
  } catch {
    // not JSON: the body is its own identity
  }
  return { id: body };
}

function answer(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function record(req: IncomingMessage, res: ServerResponse, body: string) {
  const path = req.url ?? '/';
  const mode = path.split('/')[1];
  const s = statsOf(path);
  const now = Date.now();
  s.arrivals += 1;
  const { id, timestamp } = identify(body);
  const refuseOnce = (mode === 'flaky' || mode === 'drop') && !refused.has(`${path} ${id}`);
  if (refuseOnce) {
    refused.add(`${path} ${id}`);
    if (mode === 'drop') return req.socket.destroy();
    return answer(res, 503, '{"error":"try later"}');
  }
  const accept = () => {
    const seen = s.accepted.get(id) ?? 0;
    s.accepted.set(id, seen + 1);
    if (seen === 0 && timestamp !== undefined) s.latencies.push(now - timestamp);
    s.last = Date.now();
    answer(res, 200, '{"ok":true}');
  };
  if (mode === 'slow') setTimeout(accept, slowMs);
  else accept();
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/_stats') return answer(res, 200, JSON.stringify(summary()));
    if (req.url === '/_reset') {
      stats = new Map();
      refused = new Set();
      return answer(res, 200, '{}');
    }
    record(req, res, Buffer.concat(chunks).toString('utf8'));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
});
