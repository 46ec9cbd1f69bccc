import { NodeProcess, startNode } from './processes';

export interface PathFigures {
  arrivals: number;
  unique: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
  latencyP50: number | null;
  latencyP99: number | null;
  latencyMax: number | null;
  /** Mean latency (ms, two decimals): steadier than a percentile of whole milliseconds when latencies are a few ms. */
  latencyMean: number | null;
}

/** The sink process (bench/lib/sink-server.ts) and a reader of its figures. */
export class SinkProcess {
  private constructor(readonly process: NodeProcess) {}

  static async start(env: Record<string, string> = {}): Promise<SinkProcess> {
    return new SinkProcess(await startNode('bench/lib/sink-server.ts', env));
  }

  url(path: string): string {
    return `${this.process.url}${path}`;
  }

  async stats(): Promise<Record<string, PathFigures>> {
    return (await (await fetch(`${this.process.url}/_stats`)).json()) as Record<string, PathFigures>;
  }

  async figures(path: string): Promise<PathFigures> {
    const all = await this.stats();
    return all[path] ?? { arrivals: 0, unique: 0, duplicates: 0, firstAt: 0, lastAt: 0, latencyP50: null, latencyP99: null, latencyMax: null, latencyMean: null };
  }

  async reset(): Promise<void> {
    await fetch(`${this.process.url}/_reset`, { method: 'POST' });
  }

  /** Waits until `path` has `count` distinct messages or `timeoutMs` passes; returns the figures. */
  async waitFor(path: string, count: number, timeoutMs: number): Promise<PathFigures & { complete: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.figures(path);
      if (f.unique >= count) return { ...f, complete: true };
      if (Date.now() > deadline) return { ...f, complete: false };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
