import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { Client, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(600000);

/** Generated requests per endpoint (FUZZ_RUNS); the fixed hostile corpus is sent to each as well. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const FIELDS = [
  'type', 'name', 'enabled', 'username', 'channel', 'urls', 'event', 'scriptEnabled', 'script', 'integrationId', 'roomId',
  'roomName', 'text', 'msg', 'alias', 'emoji', 'avatar', 'attachments', 'user', 'password', 'email', 'userId', 'members',
  'readOnly', 'message', 'msgId', 'triggerWords', 'retryCount', 'retryDelay', 'target_url', 'permissions', 'payload', 'tmid',
  'separateResponse', 'count', 'offset', 'resume', 'data', 'customFields', 'token', 'id', 'historyId', 'impersonateUser',
];
const QUERY_KEYS = ['count', 'offset', 'sort', 'query', 'fields', 'roomId', 'roomName', 'id', 'integrationId', 'type', 'userId', 'username', 'name', 'updatedSince'];

/** Bodies no generator is likely to hit, sent raw to every endpoint. */
const HOSTILE: { name: string; body: string | Buffer; type?: string }[] = [
  { name: 'prototype pollution', body: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"name":"x"}' },
  { name: 'nested prototype keys', body: '{"attachments":[{"__proto__":{"polluted":"yes"}}],"customFields":{"__proto__":{"polluted":"yes"}}}' },
  { name: 'deep nesting', body: `${'['.repeat(20000)}${']'.repeat(20000)}` },
  { name: 'deep objects', body: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` },
  { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
  { name: 'truncated JSON', body: '{"type":"webhook-incoming","name":' },
  { name: 'huge string', body: JSON.stringify({ name: 'x'.repeat(200_000), text: 'y'.repeat(200_000) }) },
  { name: 'huge array', body: JSON.stringify({ urls: Array.from({ length: 50_000 }, (_, i) => `http://e/${i}`), channel: Array(20_000).fill('#general') }) },
  { name: 'over the body limit', body: JSON.stringify({ text: 'z'.repeat(2_000_000) }) },
  { name: 'form body', body: 'payload=%7B%22text%22%3A%22hi%22%7D&__proto__[polluted]=yes', type: 'application/x-www-form-urlencoded' },
  { name: 'wrong content type', body: '<xml>hello</xml>', type: 'application/xml' },
  { name: 'null JSON', body: 'null' },
  { name: 'top-level string', body: '"just a string"' },
  // PostgreSQL's text refuses NUL and its jsonb refuses lone surrogates: both must be stored as U+FFFD or refused with a 4xx.
  { name: 'NUL in a JSON text field', body: '{"roomId":"GENERAL","text":"a\\u0000b"}' },
  { name: 'lone surrogate in a JSON object stored as jsonb', body: '{"roomId":"GENERAL","text":"ok","attachments":[{"title":"\\ud800","\\udc00":"k"}]}' },
  {
    name: 'NUL and lone surrogates in an otherwise valid integration',
    body: '{"type":"webhook-incoming","name":"a\\u0000b","enabled":true,"username":"rocket.cat","channel":"#fuzz","scriptEnabled":false,"alias":"\\udfff"}',
  },
  { name: 'NUL and lone surrogates in a form payload', body: `payload=${encodeURIComponent('{"text":"a\\u0000b\\ud800","attachments":[{"\\udfff":"\\u0000"}]}')}`, type: 'application/x-www-form-urlencoded' },
  { name: 'NUL and lone surrogates in form fields', body: 'text=a%00b&alias=%00&roomId=GENERAL', type: 'application/x-www-form-urlencoded' },
];

/** Strings PostgreSQL cannot store as they are, mixed into generated values, keys and query strings. */
const UNSTORABLE = ['nul\u0000', '\ud800', 'x\udfffy', '\u0000\ud83d'];

interface Endpoint {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
}

interface FuzzRequest {
  auth: 'admin' | 'none' | 'wrong-token' | 'garbage';
  query: Record<string, string>;
  body: unknown;
  params: Record<string, string>;
}

describe('bad input to every endpoint (property-based)', () => {
  let t: TestApp;
  let admin: Client;
  let dataSource: DataSource;
  let endpoints: Endpoint[];
  let hook: { id: string; token: string };
  let snapshots = 0;

  beforeAll(async () => {
    t = await startTestApp({ bodyLimit: 1024 * 1024 });
    admin = await loginAsAdmin(t);
    dataSource = t.app.get(DataSource);
    await admin.post('/api/v1/channels.create', { name: 'fuzz' }).expect(200);
    const incoming = await createIntegration(admin, incomingBody({ channel: '#fuzz', scriptEnabled: true, script: 'class Script { process_incoming_request({ request }) { return { content: { text: String(request.content.text) } }; } }' }));
    hook = { id: incoming._id, token: incoming.token };
    await createIntegration(admin, outgoingBody({ channel: '#fuzz', urls: ['http://127.0.0.1:9/none'] }));
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    endpoints = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m): m is Endpoint['method'] => ['get', 'post', 'put', 'delete'].includes(m))
        .map((method) => ({ method, path })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  /** A fingerprint of every stored row a request could change (background columns left out). */
  const fingerprint = async (): Promise<string> => {
    snapshots += 1;
    const tables = ['users', 'login_tokens', 'roles', 'permissions', 'rooms', 'subscriptions', 'teams', 'messages', 'uploads', 'integrations'];
    const parts = tables.map((table) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${table} x)`);
    parts.push(`(SELECT md5(coalesce(string_agg(id::text || event || payload::text, '|' ORDER BY id), '')) FROM outbox_events)`);
    const [row] = await dataSource.query(`SELECT ${parts.join(' || ')} AS f`);
    return row.f as string;
  };

  /** Every byte percent-encoded: a lone surrogate (which encodeURIComponent refuses) goes as the bytes a client would send. */
  const encodeBytes = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const concretePath = (path: string, params: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => encodeBytes(params[name] ?? 'x'));

  const send = (endpoint: Endpoint, req: FuzzRequest, raw?: { body: string | Buffer; type?: string }) => {
    let call = t.http[endpoint.method](concretePath(endpoint.path, req.params)).query(req.query).timeout(15000);
    if (req.auth === 'admin') call = call.set('X-User-Id', admin.userId).set('X-Auth-Token', admin.credentials.authToken);
    if (req.auth === 'wrong-token') call = call.set('X-User-Id', admin.userId).set('X-Auth-Token', 'not-the-token');
    if (req.auth === 'garbage') call = call.set('X-User-Id', '{"$ne":null}').set('X-Auth-Token', 'é'.repeat(3000));
    if (endpoint.method === 'get') return call;
    if (raw) return call.set('Content-Type', raw.type ?? 'application/json').send(raw.body);
    return call.set('Content-Type', 'application/json').send(JSON.stringify(req.body) ?? 'null');
  };

  /** The answer is a success or a 4xx in the Rocket.Chat envelope; a refused write changed nothing. */
  const check = async (endpoint: Endpoint, req: FuzzRequest, raw?: { body: string | Buffer; type?: string }) => {
    const before = await fingerprint();
    const res = await send(endpoint, req, raw);
    const label = `${endpoint.method.toUpperCase()} ${endpoint.path} → ${res.status}`;
    if (res.status >= 500) throw new Error(`${label}: ${res.text.slice(0, 300)}`);
    if (res.status >= 400) {
      const body = res.body as { success?: unknown; status?: unknown; error?: unknown; message?: unknown };
      const enveloped = (body.success === false && body.error !== undefined) || (body.status === 'error' && typeof body.message === 'string');
      if (!enveloped) throw new Error(`${label}: not an error envelope: ${res.text.slice(0, 300)}`);
      if ((await fingerprint()) !== before) throw new Error(`${label}: the request was refused but stored data changed`);
    }
  };

  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 2000 }),
    fc.constantFrom(null, true, false, -1, 0, 1e308, -0.5, '', ' ', '#general', '#fuzz', '@rocket.cat', 'GENERAL', 'webhook-incoming', 'webhook-outgoing', 'sendMessage', '{"$gt":""}', 'http://169.254.169.254/latest', ...UNSTORABLE),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  const request = (): fc.Arbitrary<FuzzRequest> =>
    fc.record({
      auth: fc.constantFrom('admin', 'admin', 'none', 'wrong-token', 'garbage'),
      query: fc.dictionary(
        fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 })),
        fc.oneof(fc.string({ maxLength: 300 }), fc.integer().map(String), fc.constant('{"a":1}'), fc.constantFrom(...UNSTORABLE)),
        { maxKeys: 4 },
      ),
      body: fc.oneof(
        fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 16 }), fc.constantFrom(...UNSTORABLE)), anyValue, { maxKeys: 10 }),
        fc.jsonValue({ maxDepth: 4 }),
      ),
      params: fc.record({
        integrationId: fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }), fc.constantFrom(...UNSTORABLE)).map((s) => s || 'x'),
        token: fc.string({ maxLength: 60 }).map((s) => s || 'x'),
        userId: fc.string({ maxLength: 30 }).map((s) => s || 'x'),
        id: fc.string({ maxLength: 30 }).map((s) => s || 'x'),
        name: fc.string({ maxLength: 30 }).map((s) => s || 'x'),
      }),
    });

  it('never answers 5xx, hangs or changes data on a refusal, for generated requests', async () => {
    expect(endpoints.length).toBeGreaterThan(40);
    for (const endpoint of endpoints) {
      // Logging the fuzzing admin out would only blunt the rest of the run.
      if (endpoint.path.endsWith('/logout')) continue;
      await fc.assert(
        fc.asyncProperty(request(), fc.boolean(), async (req, realHook) => {
          if (realHook) req.params = { ...req.params, integrationId: hook.id, token: hook.token };
          await check(endpoint, req);
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261123) },
      );
    }
    expect(snapshots).toBeGreaterThan(0);
  });

  it.each(HOSTILE.map((h) => [h.name, h] as const))('answers the hostile body "%s" with a 4xx or a success everywhere', async (_name, hostile) => {
    for (const endpoint of endpoints.filter((e) => e.method !== 'get' && !e.path.endsWith('/logout'))) {
      for (const auth of ['admin', 'none'] as const) {
        await check(endpoint, { auth, query: {}, body: undefined, params: { integrationId: hook.id, token: hook.token } }, hostile);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still serves normally afterwards', async () => {
    await t.http.get('/health').expect(200);
    const res = await t.http.post(`/hooks/${hook.id}/${hook.token}`).send({ text: 'after the storm' });
    expect([200, 400]).toContain(res.status);
  });
});
