/**
 * `npm run soak`: load with faults, on loopback, bounded in time. Four outgoing integrations on
 * four channels point at the sink: one answers at once, one slowly (SINK_SLOW_MS), one fails every
 * first try with 503, one drops every first connection. Messages are posted to all four at a steady
 * rate for SOAK_SECONDS; then the run waits for every delivery and checks that nothing was lost,
 * counts duplicates, samples the server's memory, and measures the healthy target's latency while
 * the others misbehave. Prints the figures and writes bench/results/soak.json; exits 1 if a
 * message was lost.
 *
 * Knobs: SOAK_SECONDS (120), SOAK_RATE (messages per second per channel, 10), SOAK_DB
 * (postgres | embedded, default postgres).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHookline } from './lib/hookline';
import { Postgres } from './lib/postgres';
import { ROOT, sleep } from './lib/processes';
import { machine } from './lib/report';
import { SinkProcess } from './lib/sink';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const RATE = Number(process.env.SOAK_RATE ?? 10);
const DB = process.env.SOAK_DB ?? 'postgres';
const TARGETS = ['ok', 'slow', 'flaky', 'drop'] as const;
const DRAIN_LIMIT_MS = 120_000;

const log = (line: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main() {
  const pg = DB === 'postgres' ? Postgres.start() : undefined;
  const sink = await SinkProcess.start({ SINK_SLOW_MS: '1500' });
  const server = await startHookline(pg ? await pg.freshDatabase('soak') : undefined, { RETRY_DELAY_SCALE: '0.01', DELIVERY_TIMEOUT_MS: '4000' });
  try {
    const rooms: Record<string, string> = {};
    for (const target of TARGETS) {
      const { channel } = await server.api('POST', 'channels.create', { name: `soak-${target}` });
      rooms[target] = channel._id as string;
      await server.api('POST', 'integrations.create', {
        type: 'webhook-outgoing', name: `soak ${target}`, enabled: true, event: 'sendMessage', username: 'rocket.cat',
        channel: `#soak-${target}`, urls: [sink.url(`/${target}/soak`)], scriptEnabled: false,
        retryFailedCalls: true, retryCount: 6, retryDelay: 'powers-of-ten',
      });
    }
    log(`${DB}: ${RATE} messages/s to each of ${TARGETS.join(', ')} for ${SECONDS} s`);
    const posted: Record<string, number> = Object.fromEntries(TARGETS.map((t) => [t, 0]));
    let postErrors = 0;
    const memory: number[] = [server.process.rssMb()];
    const started = Date.now();
    let tick = 0;
    while (Date.now() - started < SECONDS * 1000) {
      tick += 1;
      await Promise.all(
        TARGETS.map(async (target) => {
          try {
            await server.api('POST', 'chat.postMessage', { roomId: rooms[target], text: `soak ${target} ${tick}` });
            posted[target] += 1;
          } catch {
            postErrors += 1;
          }
        }),
      );
      if (tick % (RATE * 5) === 0) memory.push(server.process.rssMb());
      const due = started + (tick * 1000) / RATE;
      await sleep(Math.max(0, due - Date.now()));
    }
    log('posting done; waiting for every delivery');
    const figures = Object.fromEntries(
      await Promise.all(TARGETS.map(async (target) => [target, await sink.waitFor(`/${target}/soak`, posted[target], DRAIN_LIMIT_MS)] as const)),
    );
    memory.push(server.process.rssMb());
    const lost = TARGETS.reduce((n, t) => n + Math.max(0, posted[t] - figures[t].unique), 0);
    const report = {
      at: new Date().toISOString(),
      machine: machine(),
      settings: { SECONDS, RATE, DB },
      postErrors,
      targets: Object.fromEntries(
        TARGETS.map((t) => [t, { posted: posted[t], delivered: figures[t].unique, duplicates: figures[t].duplicates, attempts: figures[t].arrivals, latencyP50: figures[t].latencyP50, latencyP99: figures[t].latencyP99 }]),
      ),
      lost,
      memoryMb: { first: memory[0], last: memory[memory.length - 1], max: Math.max(...memory), samples: memory },
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
    const lines = ['| target | posted | delivered | duplicates | attempts | latency p50 / p99 (ms) |', '|---|---|---|---|---|---|'];
    for (const [t, f] of Object.entries(report.targets)) lines.push(`| ${t} | ${f.posted} | ${f.delivered} | ${f.duplicates} | ${f.attempts} | ${f.latencyP50} / ${f.latencyP99} |`);
    process.stdout.write(`\n${lines.join('\n')}\n\nlost: ${lost}; post errors: ${postErrors}; memory (MB) first ${report.memoryMb.first}, max ${report.memoryMb.max}, last ${report.memoryMb.last}\n`);
    process.exitCode = lost > 0 ? 1 : 0;
  } finally {
    await server.stop();
    await sink.stop();
    pg?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
