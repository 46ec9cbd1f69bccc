import { ScriptSandbox } from '../src/integrations/scripts/script-sandbox';
import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** SCRIPT_ISOLATES_MAX bounds the isolates a process keeps; an evicted script is compiled again on its next call. */
describe(`script isolates (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 }, scriptIsolates: 2 });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  // Store lives in the isolate, so its count tells a kept isolate (it goes on) from a new one (it starts over).
  const COUNTING = `class Script { process_incoming_request() { const n = (Store.get('n') || 0) + 1; Store.set('n', n); return { content: { text: 'call ' + n } }; } }`;
  const call = async (hook: Record<string, any>) => {
    const res = await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(200);
    expect(res.body).toEqual({ success: true });
    return (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0].msg as string;
  };

  it('keeps the most recently used isolates, evicts the least recently used and recompiles it on its next call', async () => {
    const sandbox = t.app.get(ScriptSandbox);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => createIntegration(admin, incomingBody({ scriptEnabled: true, script: COUNTING }))));
    expect(await call(a)).toBe('call 1');
    expect(await call(b)).toBe('call 1');
    expect(await call(a)).toBe('call 2'); // a is now the most recently used
    expect(await call(c)).toBe('call 1'); // the third isolate: b, the least recently used, goes
    expect(sandbox.size).toBe(2);
    expect(await call(a)).toBe('call 3');
    expect(await call(b)).toBe('call 1'); // compiled again, its Store empty
    expect(await call(b)).toBe('call 2');
    expect(sandbox.size).toBe(2);
  });

  it('does not evict an isolate while a call runs in it', async () => {
    const sandbox = t.app.get(ScriptSandbox);
    const slow = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: `class Script { process_incoming_request() { const end = Date.now() + 300; while (Date.now() < end) {} return { content: { text: 'slow done' } }; } }` }));
    const others = await Promise.all([0, 1, 2].map(() => createIntegration(admin, incomingBody({ scriptEnabled: true, script: COUNTING }))));
    const slowCall = t.http.post(`/hooks/${slow._id}/${slow.token}`).send({}).then((r) => r);
    await new Promise((r) => setTimeout(r, 50));
    for (const hook of others) await call(hook);
    const answered = await slowCall;
    expect({ status: answered.status, body: answered.body }).toEqual({ status: 200, body: { success: true } });
    expect(sandbox.size).toBeLessThanOrEqual(2);
  });
});
