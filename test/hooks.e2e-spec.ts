import { Client, createUser, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`incoming webhooks (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 500, memoryMb: 16 }, bodyLimit: 64 * 1024 });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const hookUrl = (i: Record<string, any>) => `/hooks/${i._id}/${i.token}`;
  const newest = async (roomId = 'GENERAL', family = 'channels') =>
    (await admin.get(`/api/v1/${family}.messages`, { roomId, count: 1 }).expect(200)).body.messages[0];
  const withScript = (script: string, extra: Record<string, unknown> = {}) => createIntegration(admin, incomingBody({ scriptEnabled: true, script, ...extra }));

  describe('posting', () => {
    it('posts a JSON body to the integration’s channel, with alias, emoji, avatar, attachments and bot', async () => {
      const hook = await createIntegration(admin, incomingBody({ alias: 'Hooky', emoji: ':robot:' }));
      const res = await t.http.post(hookUrl(hook)).send({ text: 'Deploy finished', attachments: [{ title: 'build 42', text: 'green' }] }).expect(200);
      expect(res.body).toEqual({ success: true });
      expect(res.headers['content-type']).toBe('application/json');
      expect(await newest()).toMatchObject({
        msg: 'Deploy finished',
        alias: 'Hooky',
        emoji: ':robot:',
        attachments: [{ title: 'build 42', text: 'green' }],
        bot: { i: hook._id },
        u: { username: 'rocket.cat' },
        parseUrls: false,
      });
      await t.http.post(hookUrl(hook)).send({ text: 'with picture', icon_url: 'https://example.com/i.png', username: 'CI' }).expect(200);
      expect(await newest()).toMatchObject({ msg: 'with picture', alias: 'CI', avatar: 'https://example.com/i.png' });
    });

    it('takes a Grafana / Alertmanager / GitLab-style Slack payload unchanged', async () => {
      const hook = await createIntegration(admin, incomingBody());
      const slack = {
        username: 'Alertmanager',
        icon_emoji: ':fire:',
        text: '[FIRING:1] HighLatency',
        attachments: [
          {
            color: 'danger',
            title: '[FIRING:1] HighLatency api (critical)',
            title_link: 'http://alertmanager.local/#/alerts',
            text: 'p99 latency above 2s for 5m',
            fallback: 'HighLatency',
            fields: [
              { title: 'severity', value: 'critical', short: true },
              { title: 'service', value: 'api', short: true },
            ],
          },
        ],
      };
      await t.http.post(hookUrl(hook)).send(slack).expect(200);
      expect(await newest()).toMatchObject({ msg: '[FIRING:1] HighLatency', alias: 'Alertmanager', emoji: ':fire:', attachments: slack.attachments });
    });

    it('accepts Slack’s payload= form, JSON sent as a form, several form fields, and GET query strings', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await t.http.post(hookUrl(hook)).type('form').send({ payload: JSON.stringify({ text: 'from payload field' }) }).expect(200);
      expect((await newest()).msg).toBe('from payload field');
      await t.http.post(hookUrl(hook)).set('content-type', 'application/x-www-form-urlencoded').send('{"text":"json + form type"}').expect(200);
      expect((await newest()).msg).toBe('json + form type');
      await t.http.post(hookUrl(hook)).type('form').send({ text: 'plain form', alias: 'Form' }).expect(200);
      expect(await newest()).toMatchObject({ msg: 'plain form', alias: 'Form' });
      await t.http.get(hookUrl(hook)).query({ text: 'by GET' }).expect(200);
      expect((await newest()).msg).toBe('by GET');
      await t.http.post(`/hooks/${hook._id}/${admin.userId}/${hook.token}`).send({ text: 'with user segment' }).expect(200);
      expect((await newest()).msg).toBe('with user segment');
      const bad = await t.http.post(hookUrl(hook)).type('form').send({ payload: '{not json' }).expect(400);
      expect(bad.body.success).toBe(false);
    });

    it('answers {success:true} and posts nothing for an empty body', async () => {
      const hook = await createIntegration(admin, incomingBody());
      const before = (await newest())._id;
      await t.http.post(hookUrl(hook)).send({}).expect(200, { success: true });
      await t.http.post(hookUrl(hook)).expect(200, { success: true });
      expect((await newest())._id).toBe(before);
    });

    it('threads with tmid', async () => {
      const hook = await createIntegration(admin, incomingBody());
      const parent = (await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'incident #1' }).expect(200)).body.message;
      await t.http.post(hookUrl(hook)).send({ text: 'update', tmid: parent._id }).expect(200);
      expect(await newest()).toMatchObject({ msg: 'update', tmid: parent._id });
    });
  });

  describe('refusals', () => {
    it('answers 401 JSON for a wrong token, unknown id or an outgoing integration, 503 when disabled', async () => {
      const hook = await createIntegration(admin, incomingBody());
      const invalid = { success: false, error: 'Invalid integration id or token provided.' };
      expect((await t.http.post(`/hooks/${hook._id}/wrong-token`).send({ text: 'x' }).expect(401)).body).toEqual(invalid);
      expect((await t.http.post(`/hooks/nope/${hook.token}`).send({ text: 'x' }).expect(401)).body).toEqual(invalid);
      const outgoing = await createIntegration(admin, outgoingBody({ token: 'known-token' }));
      await t.http.post(`/hooks/${outgoing._id}/known-token`).send({ text: 'x' }).expect(401);
      const other = await createIntegration(admin, incomingBody());
      await t.http.post(`/hooks/${hook._id}/${other.token}`).send({ text: 'x' }).expect(401);
      const off = await createIntegration(admin, incomingBody({ enabled: false }));
      expect((await t.http.post(hookUrl(off)).send({ text: 'x' }).expect(503)).body).toEqual({ success: false, error: 'Service Unavailable' });
    });

    it('refuses bad JSON, scalar bodies and oversized bodies cleanly', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await t.http.post(hookUrl(hook)).set('content-type', 'application/json').send('{"text":').expect(400);
      expect((await t.http.post(hookUrl(hook)).set('content-type', 'application/json').send('"just a string"').expect(400)).body.success).toBe(false);
      await t.http.post(hookUrl(hook)).send({ text: 'x'.repeat(70 * 1024) }).expect(413);
      await t.http.post(hookUrl(hook)).send({ text: 'still fine' }).expect(200);
    });

    it('posts a message with empty text for a body without text or attachments, as Rocket.Chat does, and nothing for {}', async () => {
      const hook = await createIntegration(admin, incomingBody());
      const before = (await newest())?._id;
      await t.http.post(hookUrl(hook)).send({}).expect(200);
      expect((await newest())?._id).toBe(before);
      // A raw Alertmanager notification sent to a hook without a script.
      await t.http.post(hookUrl(hook)).send({ status: 'firing', alerts: [{ labels: { alertname: 'HighLatency' } }] }).expect(200);
      const posted = await newest();
      expect(posted._id).not.toBe(before);
      expect(posted).toMatchObject({ msg: '', bot: { i: hook._id } });
    });

    it('ignores fields of the wrong type instead of storing them', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await t.http.post(hookUrl(hook)).send({ text: 'typed', alias: { evil: true }, emoji: 5, tmid: ['x'], attachments: 'nope', customFields: 'x' }).expect(200);
      const msg = await newest();
      expect(msg.msg).toBe('typed');
      for (const field of ['alias', 'emoji', 'tmid', 'attachments', 'customFields']) expect(msg).not.toHaveProperty(field);
    });
  });

  describe('destination override', () => {
    it('is refused unless overrideDestinationChannelEnabled', async () => {
      const hook = await createIntegration(admin, incomingBody());
      for (const body of [{ text: 'x', channel: '#general' }, { text: 'x', roomId: 'GENERAL' }]) {
        expect((await t.http.post(hookUrl(hook)).send(body).expect(400)).body).toEqual({
          success: false,
          error: 'overriding destination channel is disabled for this integration',
        });
      }
    });

    it('is allowed when enabled: a name, an id, @user, bare names, or a list', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await admin.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: hook._id, overrideDestinationChannelEnabled: true }).expect(200);
      const room = (await admin.post('/api/v1/channels.create', { name: 'alerts' }).expect(200)).body.channel;
      await t.http.post(hookUrl(hook)).send({ text: 'to #alerts', channel: '#alerts' }).expect(200);
      expect((await newest(room._id)).msg).toBe('to #alerts');
      await t.http.post(hookUrl(hook)).send({ text: 'by roomId', roomId: room._id }).expect(200);
      expect((await newest(room._id)).msg).toBe('by roomId');
      await t.http.post(hookUrl(hook)).send({ text: 'bare', channel: 'alerts' }).expect(200);
      expect((await newest(room._id)).msg).toBe('bare');
      const bob = await createUser(t, admin);
      await t.http.post(hookUrl(hook)).send({ text: 'dm', channel: `@${bob.username}` }).expect(200);
      const dm = (await bob.post('/api/v1/im.create', { username: 'rocket.cat' }).expect(200)).body.room;
      expect((await bob.get('/api/v1/rooms.info', { roomId: dm._id }).expect(200)).body.room.t).toBe('d');
      const res = await t.http.post(hookUrl(hook)).send({ text: 'both', channel: ['#alerts', '#general'] }).expect(200);
      expect(res.body).toEqual({ success: true });
      expect((await newest()).msg).toBe('both');
    });

    it('refuses a private group the integration user is not in with error-not-allowed', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await admin.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: hook._id, overrideDestinationChannelEnabled: true }).expect(200);
      const group = (await admin.post('/api/v1/groups.create', { name: 'hook-free' }).expect(200)).body.group;
      expect((await t.http.post(hookUrl(hook)).send({ text: 'x', roomId: group._id }).expect(400)).body).toEqual({ success: false, error: 'error-not-allowed' });
      expect((await t.http.post(hookUrl(hook)).send({ text: 'x', channel: '#nowhere' }).expect(400)).body).toEqual({ success: false, error: 'invalid-channel' });
    });

    it('reports each target with separateResponse', async () => {
      const hook = await createIntegration(admin, incomingBody());
      await admin.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: hook._id, overrideDestinationChannelEnabled: true }).expect(200);
      const mixed = await t.http.post(hookUrl(hook)).send({ text: 'x', channel: ['#general', '#nowhere'], separateResponse: true }).expect(200);
      expect(mixed.body).toEqual({
        success: true,
        responses: [
          { channel: '#general', message: expect.objectContaining({ msg: 'x' }) },
          { channel: '#nowhere', error: 'invalid-channel' },
        ],
      });
      const failed = await t.http.post(hookUrl(hook)).send({ text: 'x', channel: ['#nowhere'], separateResponse: true }).expect(400);
      expect(failed.body).toEqual({ success: false, responses: [{ channel: '#nowhere', error: 'invalid-channel' }] });
    });
  });

  describe('process_incoming_request', () => {
    it('posts the content a script returns, given the request object of §4.4', async () => {
      const hook = await withScript(`
        class Script {
          process_incoming_request({ request }) {
            return { content: { text: [request.content.event, request.headers['x-gitlab-event'], request.url.query.x, request.user.username, typeof request.content_raw].join('|') } };
          }
        }`);
      await t.http.post(`${hookUrl(hook)}?x=1`).set('X-Gitlab-Event', 'Push Hook').send({ event: 'push' }).expect(200);
      expect((await newest()).msg).toBe('push|Push Hook|1|rocket.cat|string');
    });

    it('turns a raw GitLab push into a message, in the style of Rocket.Chat’s published scripts', async () => {
      const hook = await withScript(`
        class Script {
          process_incoming_request({ request }) {
            const data = request.content;
            if (request.headers['x-gitlab-event'] !== 'Push Hook') return { error: { success: false, message: 'unsupported event' } };
            const commits = data.commits.map((c) => '[' + c.id.slice(0, 8) + '](' + c.url + ') ' + c.message.split('\\n')[0]);
            return {
              content: {
                username: data.user_name,
                icon_url: data.user_avatar,
                text: data.user_name + ' pushed ' + data.total_commits_count + ' commit(s) to ' + data.project.name + ' ' + data.ref.replace('refs/heads/', ''),
                attachments: [{ text: commits.join('\\n'), color: '#fc6d26' }],
              },
            };
          }
        }`);
      const push = {
        object_kind: 'push',
        ref: 'refs/heads/main',
        user_name: 'Ada',
        user_avatar: 'https://example.com/ada.png',
        project: { name: 'hookline' },
        total_commits_count: 2,
        commits: [
          { id: 'b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327', message: 'Fix the thing\n\nlong text', url: 'https://gitlab.example/c/1' },
          { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'Add tests', url: 'https://gitlab.example/c/2' },
        ],
      };
      await t.http.post(hookUrl(hook)).set('X-Gitlab-Event', 'Push Hook').send(push).expect(200);
      expect(await newest()).toMatchObject({
        msg: 'Ada pushed 2 commit(s) to hookline main',
        alias: 'Ada',
        avatar: 'https://example.com/ada.png',
        attachments: [{ text: '[b6568db1](https://gitlab.example/c/1) Fix the thing\n[da156088](https://gitlab.example/c/2) Add tests', color: '#fc6d26' }],
      });
      const refused = await t.http.post(hookUrl(hook)).set('X-Gitlab-Event', 'Tag Push Hook').send(push).expect(400);
      expect(refused.body).toEqual({ success: false, error: { success: false, message: 'unsupported event' } });
    });

    it('handles every result form: response, user, falsy, content-less', async () => {
      const responding = await withScript(`class Script { process_incoming_request() { return { content: { text: 'with response' }, response: { ok: 'yes', id: 7 } }; } }`);
      expect((await t.http.post(hookUrl(responding)).send({}).expect(200)).body).toEqual({ ok: 'yes', id: 7, success: true });
      const bob = await createUser(t, admin);
      const asBob = await withScript(`class Script { process_incoming_request() { return { content: { text: 'as bob' }, user: { _id: '${bob.userId}' } }; } }`);
      await t.http.post(hookUrl(asBob)).send({}).expect(200);
      expect((await newest()).u.username).toBe(bob.username);
      const before = (await newest())._id;
      for (const value of ['undefined', 'null', 'false']) {
        const silent = await withScript(`class Script { process_incoming_request() { return ${value}; } }`);
        expect((await t.http.post(hookUrl(silent)).send({ text: 'dropped' }).expect(200)).body).toEqual({ success: true });
      }
      expect((await newest())._id).toBe(before);
      const noContent = await withScript(`class Script { process_incoming_request() { return { response: {} }; } }`);
      expect((await t.http.post(hookUrl(noContent)).send({}).expect(400)).body).toEqual({ success: false, error: 'error-running-script' });
      const async = await withScript(`class Script { async process_incoming_request({ request }) { await null; return { content: { text: 'async ' + request.content.n } }; } }`);
      await t.http.post(hookUrl(async)).send({ n: 3 }).expect(200);
      expect((await newest()).msg).toBe('async 3');
    });

    it('keeps Store between calls and starts over when the integration changes', async () => {
      const script = `class Script { process_incoming_request() { const n = (Store.get('n') || 0) + 1; Store.set('n', n); return { content: { text: 'call ' + n } }; } }`;
      const hook = await withScript(script);
      await t.http.post(hookUrl(hook)).send({}).expect(200);
      await t.http.post(hookUrl(hook)).send({}).expect(200);
      expect((await newest()).msg).toBe('call 2');
      await admin.put('/api/v1/integrations.update', { ...incomingBody({ scriptEnabled: true, script }), integrationId: hook._id, name: 'renamed' }).expect(200);
      await t.http.post(hookUrl(hook)).send({}).expect(200);
      expect((await newest()).msg).toBe('call 1');
    });

    it('answers error-running-script for scripts that throw, loop, exhaust memory or reach for the host, and keeps serving', async () => {
      const plain = await createIntegration(admin, incomingBody());
      const hostile = [
        `class Script { process_incoming_request() { throw new Error('boom'); } }`,
        `class Script { process_incoming_request() { while (true) {} } }`,
        `class Script { async process_incoming_request() { await null; while (true) {} } }`,
        `class Script { process_incoming_request() { return new Promise(() => {}); } }`,
        `class Script { process_incoming_request() { const a = []; while (true) a.push(new Array(100000).fill('x')); } }`,
        `class Script { process_incoming_request() { return require('fs').readFileSync('/etc/passwd', 'utf8'); } }`,
        `class Script { process_incoming_request() { return { content: { text: process.env.HOME } }; } }`,
        `class Script { process_incoming_request() { return { content: { text: String(globalThis.constructor.constructor('return process')()) } }; } }`,
        `class Script { process_incoming_request() { const f = () => f(); return f(); } }`,
        `class Script { process_incoming_request() { return { content: { text: 'x', fn: () => 1 } }; } }`,
        `class Script { process_incoming_request() { return { content: { text: 'x'.repeat(64 * 1024 * 1024) } }; } }`,
        `class Script { process_incoming_request() { const o = { text: 'x' }; o.self = o; return { content: o }; } }`,
        `class Script {}`,
        `const x = 1;`,
        `class Script { constructor() { while (true) {} } }`,
      ];
      for (const script of hostile) {
        const hook = await withScript(script);
        const started = Date.now();
        const res = await t.http.post(hookUrl(hook)).send({ text: 'x' });
        expect({ script, status: res.status, body: res.body }).toEqual({ script, status: 400, body: { success: false, error: 'error-running-script' } });
        expect(Date.now() - started).toBeLessThan(5000);
        await t.http.post(hookUrl(plain)).send({ text: 'still serving' }).expect(200);
      }
      await t.http.get('/health').expect(200);
    });
  });

  describe('helper routes', () => {
    it('sample, info, add and remove work with the hook’s credentials only', async () => {
      const hook = await createIntegration(admin, incomingBody({ username: 'rocketchat.internal.admin.test' }));
      const samples = await t.http.get(`/hooks/sample/${hook._id}/${hook.token}`).expect(200);
      expect(samples.body).toHaveLength(3);
      expect(samples.body[0]).toMatchObject({ channel_name: 'general', user_name: 'rocket.cat', text: 'Sample text 1.', trigger_word: 'Sample' });
      expect((await t.http.get(`/hooks/info/${hook._id}/${hook.token}`).expect(200)).body).toEqual({ success: true });
      await t.http.get(`/hooks/info/${hook._id}/bad`).expect(401);
      const added = await t.http
        .post(`/hooks/add/${hook._id}/${hook.token}`)
        .send({ event: 'newMessageOnChannel', name: 'Zap', target_url: 'http://127.0.0.1:9/zap', data: { channel_name: 'general', trigger_words: '!zap' } })
        .expect(200);
      expect(added.body).toMatchObject({ type: 'webhook-outgoing', event: 'sendMessage', channel: ['#general'], urls: ['http://127.0.0.1:9/zap'], triggerWords: ['!zap'], success: true });
      const noUser = await t.http.post(`/hooks/add/${hook._id}/${hook.token}`).send({ event: 'newMessageToUser', target_url: 'http://x' }).expect(400);
      expect(noUser.body.error).toBe('username-required');
      await t.http.post(`/hooks/remove/${hook._id}/${hook.token}`).send({ target_url: 'http://127.0.0.1:9/zap' }).expect(200);
      expect((await t.http.post(`/hooks/remove/${hook._id}/${hook.token}`).send({ target_url: 'http://127.0.0.1:9/zap' }).expect(400)).body.error).toBe(
        'integration-not-found',
      );
    });
  });
});

describe(`incoming webhooks with DISABLE_INTEGRATION_SCRIPTS (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: true, timeoutMs: 500, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  it('posts the raw body as if there were no script', async () => {
    const hook = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: `class Script { process_incoming_request() { return { content: { text: 'scripted' } }; } }` }));
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'raw' }).expect(200);
    const [msg] = (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages;
    expect(msg.msg).toBe('raw');
  });
});

describe(`incoming webhook rate limit (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ hookRateLimit: { limit: 2, windowMs: 60000 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  it('answers 429 with X-RateLimit headers past the limit, per hook URL', async () => {
    const hook = await createIntegration(admin, incomingBody());
    const other = await createIntegration(admin, incomingBody());
    const first = await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: '1' }).expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: '2' }).expect(200);
    const limited = await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: '3' }).expect(429);
    expect(limited.body).toEqual({
      success: false,
      error: expect.stringMatching(/^Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying this endpoint again\. \[error-too-many-requests\]$/),
      errorType: 'error-too-many-requests',
    });
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    await t.http.post(`/hooks/${other._id}/${other.token}`).send({ text: 'other hook' }).expect(200);
    await admin.get('/api/v1/me').expect(200);
  });

  it('counts per integration, whatever the ignored user segment of the URL says', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: '1' }).expect(200);
    await t.http.post(`/hooks/${hook._id}/anything/${hook.token}`).send({ text: '2' }).expect(200);
    await t.http.post(`/hooks/${hook._id}/something-else/${hook.token}`).send({ text: '3' }).expect(429);
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: '4' }).expect(429);
  });
});
