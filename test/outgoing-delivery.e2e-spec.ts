import { Webhook } from 'standardwebhooks';
import { Client, createUser, loginAsAdmin } from './support/api';
import { eventually, settle } from './support/eventually';
import { createIntegration, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';
import { openDeliveries } from './support/outbox';

const JSON_HEADERS = { 'content-type': 'application/json' };
const SCALE = 0.05;

describe(`outgoing deliveries (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let n = 0;
  const replies = new Map<string, (attempt: number) => { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }>();

  beforeAll(async () => {
    sink = await Sink.start();
    sink.reply = (r) => {
      const path = r.url;
      const handler = replies.get(path);
      return handler ? handler(sink.at(path).length) : { status: 200, body: '' , headers: {} };
    };
    t = await startTestApp({
      scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 },
      delivery: { timeoutMs: 700, retryDelayScale: SCALE, concurrency: 16, perUrlConcurrency: 4 },
    });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** A fresh room, an integration on it whose url is its own sink path, answering as `reply` says. */
  const setUp = async (extra: Record<string, unknown>, reply?: (attempt: number) => { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }) => {
    n += 1;
    const path = `/d-${n}`;
    if (reply) replies.set(path, reply);
    const room = (await admin.post('/api/v1/channels.create', { name: `delivery-${n}` }).expect(200)).body.channel;
    const integration = await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}${path}`], ...extra }));
    return { path, room, integration };
  };
  const post = (roomId: string, text: string, client = admin) => client.post('/api/v1/chat.postMessage', { roomId, text }).expect(200);
  const history = async (integrationId: string) =>
    (await admin.get('/api/v1/integrations.history', { id: integrationId, count: 100, sort: '{"_createdAt":1}' }).expect(200)).body.history as Record<string, any>[];
  /**
   * The last step of each attempt, once the delivery is finished. History is read before the
   * queue: an attempt's record exists only while or after its queue row does, so "records seen,
   * then no row" means every attempt is over; the records are then read again, final.
   */
  const finalSteps = async (integrationId: string, count: number) => {
    await eventually(
      async () => {
        const records = await history(integrationId);
        return { records, open: await openDeliveries(t, integrationId) };
      },
      (s) => s.records.length >= count && s.open === 0,
      10000,
    );
    return (await history(integrationId)).map((h) => h.step);
  };
  const messages = async (roomId: string) => (await admin.get('/api/v1/channels.messages', { roomId }).expect(200)).body.messages as Record<string, any>[];

  it('posts a reply with text or attachments back into the room, as the integration user', async () => {
    const { path, room, integration } = await setUp({ token: 'tk' }, () => ({ status: 200, body: JSON.stringify({ text: 'pong', attachments: [{ title: 'a' }] }), headers: JSON_HEADERS }));
    await post(room._id, 'ping');
    const reply = await eventually(() => messages(room._id), (m) => m.some((x) => x.msg === 'pong'));
    expect(reply.find((x) => x.msg === 'pong')).toMatchObject({ u: { username: 'rocket.cat' }, bot: { i: integration._id }, attachments: [{ title: 'a' }] });
    expect(sink.at(path)[0].json).toMatchObject({ token: 'tk', text: 'ping', channel_id: room._id });
    // Its own reply does not trigger it again.
    expect(await finalSteps(integration._id, 1)).toEqual(['url-response-sent-message']);
    await settle();
    expect(sink.at(path)).toHaveLength(1);
    const [record] = await history(integration._id);
    expect(record).toMatchObject({
      step: 'url-response-sent-message',
      finished: true,
      event: 'sendMessage',
      url: `${sink.url}${path}`,
      httpResult: JSON.stringify(JSON.stringify({ text: 'pong', attachments: [{ title: 'a' }] }), null, 2),
      data: expect.objectContaining({ text: 'ping' }),
      integration: expect.objectContaining({ _id: integration._id }),
      resultMessage: [expect.objectContaining({ channel: `#${room._id}` })],
    });
  });

  it('signs every request per Standard Webhooks, with an id that stays the same across retries', async () => {
    const { path, room, integration } = await setUp({ retryFailedCalls: true, retryCount: 1, retryDelay: 'powers-of-ten' }, (attempt) =>
      attempt === 1 ? { status: 503, body: 'later' } : { status: 200, body: 'ok' },
    );
    expect(integration.signingSecret).toMatch(/^whsec_/);
    await post(room._id, 'signed');
    const arrivals = await eventually(async () => sink.at(path), (a) => a.length === 2);
    const verifier = new Webhook(integration.signingSecret);
    for (const arrival of arrivals) {
      const headers = {
        'webhook-id': String(arrival.headers['webhook-id']),
        'webhook-timestamp': String(arrival.headers['webhook-timestamp']),
        'webhook-signature': String(arrival.headers['webhook-signature']),
      };
      expect(verifier.verify(arrival.body, headers)).toMatchObject({ text: 'signed' });
      expect(() => verifier.verify(arrival.body.replace('signed', 'forged'), headers)).toThrow();
    }
    expect(arrivals[0].headers['webhook-id']).toBe(arrivals[1].headers['webhook-id']);
    const other = new Webhook(`whsec_${Buffer.from('not the secret at all!!').toString('base64')}`);
    expect(() => other.verify(arrivals[0].body, arrivals[0].headers as Record<string, string>)).toThrow();
  });

  it('replies as the triggering user with impersonateUser', async () => {
    const bob = await createUser(t, admin);
    const { room } = await setUp({ impersonateUser: true }, () => ({ status: 200, body: '{"text":"echo"}', headers: JSON_HEADERS }));
    await post(room._id, 'hi', bob);
    const msgs = await eventually(() => messages(room._id), (m) => m.some((x) => x.msg === 'echo'));
    expect(msgs.find((x) => x.msg === 'echo')?.u.username).toBe(bob.username);
  });

  it('disables the integration on 410 Gone', async () => {
    const { path, room, integration } = await setUp({ retryFailedCalls: true }, () => ({ status: 410, body: 'gone' }));
    await post(room._id, 'anyone there?');
    expect(await finalSteps(integration._id, 1)).toEqual(['after-process-http-status-410']);
    expect((await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200)).body.integration.enabled).toBe(false);
    await post(room._id, 'again');
    await settle();
    expect(sink.at(path)).toHaveLength(1);
  });

  it('does not retry a 500 with a body, even when retries are on', async () => {
    const { path, room, integration } = await setUp({ retryFailedCalls: true, retryCount: 3 }, () => ({ status: 500, body: 'boom' }));
    await post(room._id, 'x');
    expect(await finalSteps(integration._id, 1)).toEqual(['after-process-http-status-500']);
    await settle(500);
    expect(sink.at(path)).toHaveLength(1);
  });

  it.each([
    ['powers-of-ten', [100, 1000]],
    ['powers-of-two', [2000, 4000]],
    ['increments-of-two', [2000, 4000]],
  ])('retries failed calls with %s delays (scaled), then gives up', async (strategy, delays) => {
    const { path, room, integration } = await setUp({ retryFailedCalls: true, retryCount: 2, retryDelay: strategy }, () => ({ status: 503, body: 'busy' }));
    await post(room._id, 'retry me');
    const arrivals = await eventually(async () => sink.at(path), (a) => a.length === 3, 10000);
    for (let i = 0; i < 2; i++) expect(arrivals[i + 1].at - arrivals[i].at).toBeGreaterThanOrEqual(delays[i] * SCALE - 5);
    expect(await finalSteps(integration._id, 3)).toEqual(['going-to-retry-1', 'going-to-retry-2', 'too-many-retries']);
    await settle(400);
    expect(sink.at(path)).toHaveLength(3);
  });

  it('retries an empty 200 (Rocket.Chat’s rule), records a missing or invalid retry setup', async () => {
    const empty = await setUp({ retryFailedCalls: true, retryCount: 1, retryDelay: 'powers-of-ten' }, (attempt) => (attempt <= 1 ? { status: 200, body: '' } : { status: 200, body: 'ok' }));
    await post(empty.room._id, 'x');
    expect(await finalSteps(empty.integration._id, 2)).toEqual(['going-to-retry-1', 'after-http-call']);
    // Hookline's outcome filter: the failed attempt and the one that went through.
    const byOutcome = async (outcome: string) =>
      (await admin.get('/api/v1/integrations.history', { id: empty.integration._id, outcome }).expect(200)).body as { total: number; history: { step: string }[] };
    expect(await byOutcome('error')).toMatchObject({ total: 1, history: [{ step: 'going-to-retry-1' }] });
    expect(await byOutcome('ok')).toMatchObject({ total: 1, history: [{ step: 'after-http-call' }] });
    const notConfigured = await setUp({}, () => ({ status: 404, body: 'nope' }));
    await post(notConfigured.room._id, 'x');
    expect(await finalSteps(notConfigured.integration._id, 1)).toEqual(['failed-and-not-configured-to-retry']);
    const invalid = await setUp({ retryFailedCalls: true, retryCount: 2, retryDelay: 'fibonacci' }, () => ({ status: 404, body: 'nope' }));
    await post(invalid.room._id, 'x');
    expect(await finalSteps(invalid.integration._id, 1)).toEqual(['failed-and-retry-delay-is-invalid']);
    const [record] = await history(invalid.integration._id);
    expect(record.errorStack).toBe("The integration's retryDelay setting is invalid.");
  });

  it('retries network errors and timeouts too (a deliberate improvement on Rocket.Chat)', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'unreachable' }).expect(200)).body.channel;
    const dead = await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: ['http://127.0.0.1:9/closed'], retryFailedCalls: true, retryCount: 1, retryDelay: 'powers-of-ten' }));
    await post(room._id, 'x');
    const steps = await finalSteps(dead._id, 2);
    expect(steps).toEqual(['going-to-retry-1', 'too-many-retries']);
    expect((await history(dead._id))[0].httpError).toMatchObject({ message: expect.any(String) });
    const slow = await setUp({ retryFailedCalls: true, retryCount: 1, retryDelay: 'powers-of-ten' }, () => ({ status: 200, body: 'late', delayMs: 1500 }));
    await post(slow.room._id, 'x');
    expect(await finalSteps(slow.integration._id, 2)).toEqual(['going-to-retry-1', 'too-many-retries']);
  });

  it('contains hostile outgoing scripts: each is stopped, recorded in the history, and other deliveries go on', async () => {
    const healthy = await setUp({});
    const prepare = (body: string) => `class Script { prepare_outgoing_request({ request }) { ${body} } }`;
    const hostile = [
      prepare(`while (true) {}`),
      `class Script { async prepare_outgoing_request({ request }) { await null; while (true) {} } }`,
      prepare(`return new Promise(() => {});`),
      prepare(`const a = []; while (true) a.push(new Array(100000).fill('x'));`),
      prepare(`return { ...request, data: { big: 'x'.repeat(64 * 1024 * 1024) } };`),
      prepare(`const f = () => f(); return f();`),
      prepare(`return { ...request, data: require('fs').readFileSync('/etc/passwd', 'utf8') };`),
      prepare(`return { ...request, data: { env: process.env } };`),
      prepare(`return { ...request, data: globalThis.constructor.constructor('return process')().env };`),
      `class Script { async prepare_outgoing_request({ request }) { const r = await fetch('http://169.254.169.254/latest/meta-data/'); return { ...request, data: { leaked: await r.text() } }; } }`,
      `class Script { async prepare_outgoing_request({ request }) { const r = await fetch('http://[fe80::1]/'); return { ...request, data: { leaked: await r.text() } }; } }`,
    ];
    for (const script of hostile) {
      const { path, room, integration } = await setUp({ scriptEnabled: true, script });
      const started = Date.now();
      await post(room._id, 'hostile');
      await post(healthy.room._id, `healthy after ${integration._id}`);
      expect({ script, steps: await finalSteps(integration._id, 1) }).toEqual({ script, steps: ['after-prepare-no-opts'] });
      const [record] = await history(integration._id);
      expect({ script, error: record.error, stack: typeof record.errorStack }).toEqual({ script, error: true, stack: 'string' });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(sink.at(path)).toHaveLength(0);
      await eventually(async () => sink.at(healthy.path).map((r) => r.json.text), (texts) => texts.includes(`healthy after ${integration._id}`));
    }
    await t.http.get('/health').expect(200);
  }, 120000);

  it("keeps a script's prototype tricks inside its isolate", async () => {
    const script = `class Script { prepare_outgoing_request({ request }) {
      Object.prototype.polluted = 'yes'; Array.prototype.includes = null; JSON.stringify = () => 'hijacked';
      return { ...request, data: { ...request.data, seen: ({}).polluted } };
    } }`;
    const { path, room } = await setUp({ scriptEnabled: true, script });
    await post(room._id, 'tricks');
    const [arrival] = await eventually(async () => sink.at(path), (a) => a.length === 1);
    expect(arrival.json).toMatchObject({ text: 'tricks', seen: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it('shows an attempt still waiting on a slow target in the history, then its outcome', async () => {
    const script = 'class Script { prepare_outgoing_request({ request }) { return { ...request, timeout: 4000 }; } }';
    const { room, integration } = await setUp({ scriptEnabled: true, script }, () => ({ status: 200, body: 'ok', delayMs: 2500 }));
    await post(room._id, 'slow one');
    const waiting = await eventually(() => history(integration._id), (h) => h.length === 1, 2400);
    expect(waiting[0]).toMatchObject({ step: 'pre-http-call' });
    expect(waiting[0].finished).toBeFalsy();
    const done = await eventually(() => history(integration._id), (h) => h[0]?.step !== 'pre-http-call', 5000);
    expect(done[0].step).toBe('after-http-call');
  });

  it('never lets a slow target hold up deliveries to others', async () => {
    const slow = await setUp({}, () => ({ status: 200, body: 'late', delayMs: 600 }));
    const fast = await setUp({ channel: 'all_public_channels' }, () => ({ status: 200, body: 'ok' }));
    for (let i = 0; i < 6; i++) await post(slow.room._id, `burst ${i}`);
    const fastArrivals = await eventually(async () => sink.at(fast.path), (a) => a.length >= 6);
    const slowDone = await eventually(async () => sink.at(slow.path), (a) => a.length >= 6, 15000);
    expect(fastArrivals[5].at).toBeLessThan(slowDone[5].at);
  });

  describe('scripts', () => {
    it('prepare_outgoing_request reshapes the request; falsy cancels; {message} alone posts and stops', async () => {
      const reshaping = await setUp({
        scriptEnabled: true,
        script: `class Script { prepare_outgoing_request({ request }) {
          return { url: request.url + '?via=script', method: 'PUT', headers: { 'x-extra': '1' }, data: { said: request.data.text } };
        } }`,
      });
      await post(reshaping.room._id, 'shape me');
      const [arrived] = await eventually(async () => sink.received.filter((r) => r.url === `${reshaping.path}?via=script`), (a) => a.length === 1);
      expect(arrived).toMatchObject({ method: 'PUT', headers: expect.objectContaining({ 'x-extra': '1' }), body: '{"said":"shape me"}' });

      const cancelling = await setUp({ scriptEnabled: true, script: `class Script { prepare_outgoing_request() { return null; } }` });
      await post(cancelling.room._id, 'x');
      expect(await finalSteps(cancelling.integration._id, 1)).toEqual(['after-prepare-no-opts']);
      expect(sink.at(cancelling.path)).toEqual([]);

      const messaging = await setUp({ scriptEnabled: true, script: `class Script { prepare_outgoing_request() { return { message: { text: 'only a message' } }; } }` });
      await post(messaging.room._id, 'x');
      expect(await finalSteps(messaging.integration._id, 1)).toEqual(['after-prepare-no-url_or_method']);
      expect((await messages(messaging.room._id)).some((m) => m.msg === 'only a message')).toBe(true);

      const throwing = await setUp({ scriptEnabled: true, script: `class Script { prepare_outgoing_request() { throw new Error('nope'); } }` });
      await post(throwing.room._id, 'x');
      expect(await finalSteps(throwing.integration._id, 1)).toEqual(['after-prepare-no-opts']);
    });

    it('process_outgoing_response posts its content, or stops on false', async () => {
      const posting = await setUp(
        { scriptEnabled: true, script: `class Script { process_outgoing_response({ response }) { return { content: { text: 'got ' + response.status_code + ' ' + response.content } }; } }` },
        () => ({ status: 202, body: 'accepted' }),
      );
      await post(posting.room._id, 'x');
      await eventually(() => messages(posting.room._id), (m) => m.some((x) => x.msg === 'got 202 accepted'));
      expect(await finalSteps(posting.integration._id, 1)).toEqual(['after-process-send-message']);
      const stopping = await setUp({ scriptEnabled: true, script: `class Script { process_outgoing_response() { return false; } }`, retryFailedCalls: true }, () => ({ status: 503, body: 'x' }));
      await post(stopping.room._id, 'x');
      expect(await finalSteps(stopping.integration._id, 1)).toEqual(['after-process-false-result']);
    });
  });

  it('integrations.clearHistory removes the records of real deliveries', async () => {
    const { room, integration } = await setUp({}, () => ({ status: 200, body: 'ok' }));
    await post(room._id, 'x');
    await finalSteps(integration._id, 1);
    await admin.post('/api/v1/integrations.clearHistory', { integrationId: integration._id }).expect(200);
    expect(await history(integration._id)).toEqual([]);
  });
});
