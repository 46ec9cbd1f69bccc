import { Client, loginAsAdmin } from './support/api';
import { eventually } from './support/eventually';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const shown = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => shown.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe(`Prometheus metrics (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ metricsToken: TOKEN, scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const scrape = async () => {
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  it('answers only a scraper with the token', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http.get('/metrics').set('Authorization', 'Bearer wrong-token-of-some-length').expect(401);
    await scrape();
  });

  it('counts requests by route pattern, hook calls by integration, script runs and failures', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: 'class Script { process_incoming_request({ request }) { if (request.content.fail) throw new Error("no"); return { content: { text: "ok" } }; } }' }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(200);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ fail: true }).expect(400);
    await t.http.post(`/hooks/unknown/${hook.token}`).send({}).expect(401);
    const text = await scrape();
    expect(sample(text, 'hookline_http_requests_total', { route: '/hooks/:integrationId/:token', method: 'POST', status: '200' })).toBe(1);
    expect(sample(text, 'hookline_hook_calls_total', { integration: hook._id, status: '400' })).toBe(1);
    expect(text).not.toContain('integration="unknown"');
    expect(text).not.toContain(hook.token);
    expect(sample(text, 'hookline_script_run_seconds_count', { method: 'process_incoming_request' })).toBe(2);
    expect(sample(text, 'hookline_script_failures_total', { method: 'process_incoming_request', reason: 'error-running-script' })).toBe(1);
  });

  it('counts deliveries by outcome and shows the queue, the pool and the event loop', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'metrics-room' }).expect(200)).body.channel;
    sink.reply = (r) => (r.url === '/fails' ? { status: 500, body: 'broken' } : { status: 200, body: 'ok' });
    await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}/works`] }));
    await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: [`${sink.url}/fails`] }));
    await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'count me' }).expect(200);
    const text = await eventually(scrape, (s) => (sample(s, 'hookline_deliveries_total', { outcome: 'delivered' }) ?? 0) >= 1 && (sample(s, 'hookline_deliveries_total', { outcome: 'failed' }) ?? 0) >= 1);
    expect(sample(text, 'hookline_delivery_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'hookline_delivery_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'hookline_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(text, 'hookline_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts the statements sent to the database, and serves one metric by name', async () => {
    const statements = async () => {
      const res = await t.http.get('/metrics').query({ name: 'hookline_db_statements_total' }).set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(res.text).not.toContain('hookline_http_requests_total');
      return sample(res.text, 'hookline_db_statements_total') as number;
    };
    const before = await statements();
    await admin.post('/api/v1/channels.create', { name: 'counted-room' }).expect(200);
    expect(await statements()).toBeGreaterThan(before);
    const missing = await t.http.get('/metrics').query({ name: 'no_such_metric' }).set('Authorization', `Bearer ${TOKEN}`).expect(404);
    expect(missing.body).toMatchObject({ success: false, error: 'No metric named no_such_metric' });
    await t.http.get('/metrics').query({ name: 'hookline_db_statements_total' }).expect(401);
  });
});

describe(`an idle server (${databaseKind})`, () => {
  it('sends the database no statement at all, even with outgoing integrations and an empty queue', async () => {
    const t = await startTestApp({ metricsToken: TOKEN });
    try {
      const admin = await loginAsAdmin(t);
      const room = (await admin.post('/api/v1/channels.create', { name: 'idle-room' }).expect(200)).body.channel;
      await createIntegration(admin, outgoingBody({ channel: `#${room._id}`, urls: ['http://127.0.0.1:9/never'] }));
      const statements = async () => {
        const res = await t.http.get('/metrics').query({ name: 'hookline_db_statements_total' }).set('Authorization', `Bearer ${TOKEN}`).expect(200);
        return sample(res.text, 'hookline_db_statements_total') as number;
      };
      // Settled: what the start-up and the calls above set going (the first pruning rounds, reading the listened events) is done.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const before = await statements();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await statements()).toBe(before);
    } finally {
      await t.close();
    }
  });
});

describe(`metrics without METRICS_TOKEN (${databaseKind})`, () => {
  it('has no /metrics at all', async () => {
    const t = await startTestApp();
    try {
      expect((await t.http.get('/metrics').expect(404)).body).toMatchObject({ success: false });
    } finally {
      await t.close();
    }
  });
});
