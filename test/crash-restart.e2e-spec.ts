import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForExit } from '../src/core/database/process-status';
import { eventually } from './support/eventually';
import { adminOf, ServerProcess, startServerProcess } from './support/server-process';
import { Sink } from './support/sink';
import { databaseKind, processDatabase } from './support/test-app';

jest.setTimeout(240000);

describe(`crash and restart (${databaseKind})`, () => {
  let sink: Sink;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    sink = await Sink.start();
    // A slow target keeps deliveries waiting in the queue when the process dies.
    sink.reply = () => ({ status: 200, body: 'ok', delayMs: 150 });
    ({ env, drop: cleanup } = await processDatabase('crash'));
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await sink.close();
    await cleanup();
  });

  it('loses no acknowledged hook message and no delivery when SIGKILLed mid-burst', async () => {
    server = await startServerProcess(env);
    let admin = await adminOf(server.url);
    const hook = (await admin.post('/api/v1/integrations.create', { type: 'webhook-incoming', name: 'crash-in', enabled: true, username: 'rocket.cat', channel: '#general', scriptEnabled: false })).integration;
    await admin.post('/api/v1/integrations.create', {
      type: 'webhook-outgoing', name: 'crash-out', enabled: true, event: 'sendMessage', username: 'rocket.cat', channel: '#general',
      urls: [`${sink.url}/crash`], scriptEnabled: false, triggerWords: ['crash-'],
    });
    const hookUrl = `${server.url}/hooks/${hook._id}/${hook.token}`;

    const acknowledged: string[] = [];
    const total = 80;
    let next = 0;
    let killed: Promise<void> | undefined;
    const sender = async () => {
      while (next < total) {
        const text = `crash-${next++}`;
        try {
          const res = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
          if (res.status === 200) acknowledged.push(text);
        } catch {
          // the server is gone: this one was never acknowledged
        }
        if (acknowledged.length === 30 && !killed) killed = server!.kill('SIGKILL');
      }
    };
    const postmaster = env.DATA_DIR ? Number(readFileSync(join(env.DATA_DIR, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]) : undefined;
    await Promise.all(Array.from({ length: 6 }, sender));
    await killed;
    const deliveredBeforeCrash = sink.at('/crash').length;
    // The embedded database does not outlive the process that started it.
    if (postmaster) expect(await waitForExit(postmaster, 15000)).toBe(true);

    server = await startServerProcess(env);
    admin = await adminOf(server.url);
    const stored = await admin.get('/api/v1/channels.messages?roomId=GENERAL&count=100');
    const storedTexts = new Set((stored.messages as { msg: string }[]).map((m) => m.msg));
    expect(acknowledged.filter((text) => !storedTexts.has(text))).toEqual([]);

    const arrivals = await eventually(
      async () => sink.at('/crash').map((r) => r.json.text as string),
      (texts) => acknowledged.every((text) => texts.includes(text)),
      120000,
    );
    const duplicates = arrivals.length - new Set(arrivals).size;
    // Reported, not asserted: at-least-once delivery may repeat a delivery cut off by the crash.
    process.stdout.write(
      `[crash-restart ${databaseKind}] acknowledged ${acknowledged.length}/${total}, delivered before the kill ${deliveredBeforeCrash}, ` +
        `after restart all ${acknowledged.length} arrived, duplicates ${duplicates}\n`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
  });
});
