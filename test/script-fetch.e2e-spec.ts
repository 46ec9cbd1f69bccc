import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** A script that fetches `request.content.url` and posts what came back (or the error). */
const FETCHING = `
class Script {
  async process_incoming_request({ request }) {
    try {
      const res = await fetch(request.content.url, { method: 'POST', headers: { 'x-from': 'script' }, body: JSON.stringify({ ping: 1 }) });
      const data = await res.json();
      return { content: { text: 'status ' + res.status + ' ' + res.headers.get('content-type') + ' ' + JSON.stringify(data) } };
    } catch (e) {
      return { content: { text: 'refused: ' + e.message } };
    }
  }
}`;

describe(`script fetch and the outgoing URL policy (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let hook: Record<string, any>;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 2000, memoryMb: 16 }, outgoing: { allowPrivate: true, deny: ['203.0.113.0/24', 'blocked.example'] } });
    admin = await loginAsAdmin(t);
    hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: FETCHING }));
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const call = async (url: string) => {
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ url }).expect(200);
    return (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0].msg as string;
  };

  it('reaches an allowed server and gives the script status, headers and body', async () => {
    expect(await call(`${sink.url}/api`)).toBe('status 200 application/json {"ok":true}');
    expect(sink.received.at(-1)).toMatchObject({ method: 'POST', url: '/api', body: '{"ping":1}', headers: expect.objectContaining({ 'x-from': 'script' }) });
  });

  it('refuses link-local and cloud-metadata addresses, other schemes and configured denials', async () => {
    const before = sink.received.length;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://0.0.0.0/',
      'file:///etc/passwd',
      'http://203.0.113.7/',
      'http://blocked.example/',
    ]) {
      expect(await call(url)).toMatch(/^refused: /);
    }
    expect(sink.received.length).toBe(before);
  });

  it('cuts a response off at 1 MiB (the one HTTP client of scripts and deliveries), and goes on', async () => {
    const LENGTH = `
class Script {
  async process_incoming_request({ request }) {
    const res = await fetch(request.content.url);
    return { content: { text: 'status ' + res.status + ' length ' + (await res.text()).length } };
  }
}`;
    const measuring = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: LENGTH }));
    const usual = sink.reply;
    sink.reply = () => ({ status: 200, body: 'x'.repeat(3 * 1024 * 1024), headers: { 'content-type': 'text/plain' } });
    try {
      await t.http.post(`/hooks/${measuring._id}/${measuring.token}`).send({ url: `${sink.url}/big` }).expect(200);
    } finally {
      sink.reply = usual;
    }
    const [msg] = (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages;
    const [, status, length] = /^status (\d+) length (\d+)$/.exec(msg.msg as string) ?? [];
    expect(status).toBe('200');
    expect(Number(length)).toBeGreaterThan(0);
    expect(Number(length)).toBeLessThanOrEqual(1024 * 1024);
    // The server is still well: the usual fetch works.
    expect(await call(`${sink.url}/api`)).toBe('status 200 application/json {"ok":true}');
  });

  it('reports an unreachable server to the script as a failed fetch', async () => {
    expect(await call('http://127.0.0.1:9/')).toMatch(/^refused: fetch failed/);
  });
});

describe(`script fetch with OUTGOING_ALLOW_PRIVATE=false (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 2000, memoryMb: 16 }, outgoing: { allowPrivate: false, deny: [] } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('refuses loopback and private addresses, also when a name resolves to them', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: FETCHING }));
    for (const url of [`${sink.url}/`, `http://localhost:${new URL(sink.url).port}/`, 'http://10.0.0.1/', 'http://192.168.1.1/']) {
      await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ url }).expect(200);
      const [msg] = (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages;
      expect(msg.msg).toMatch(/^refused: .*not allowed/);
    }
    expect(sink.received).toEqual([]);
  });
});
