import { DataSource } from 'typeorm';
import { Client, createUser, loginAsAdmin } from './support/api';
import { eventually } from './support/eventually';
import { rerunMigrationsFrom } from './support/migrations';
import { createIntegration, incomingBody, outgoingBody } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/**
 * Scripts written for Rocket.Chat run unchanged: they are transpiled as Rocket.Chat transpiles
 * them (so class bodies run sloppy), and they see Rocket.Chat's sandbox globals.
 */

/** In the style of Rocket.Chat's GitHub integration script: helpers and implicit globals in methods. */
const GITHUB_SCRIPT = `
const getLabel = (ref) => ref.replace('refs/heads/', '');
class Script {
  process_incoming_request({ request }) {
    event = request.headers['x-github-event'];
    if (event !== 'push') return { error: { success: false, message: 'unsupported event ' + event } };
    payload = request.content;
    lines = [];
    for (i = 0; i < payload.commits.length; i++) {
      commit = payload.commits[i];
      lines.push('[' + commit.id.substring(0, 7) + '](' + commit.url + ') ' + s.truncate(commit.message.split('\\n')[0], 60) + ' - ' + commit.author.name);
    }
    return {
      content: {
        username: payload.pusher.name,
        icon_url: payload.sender.avatar_url,
        text: payload.commits.length + ' new commit(s) to [' + payload.repository.full_name + '](' + payload.compare + ') ' + getLabel(payload.ref),
        attachments: [{ text: lines.join('\\n'), color: '#0366d6' }],
      },
    };
  }
}`;

/** A trimmed GitHub push event, as GitHub documents it. */
const GITHUB_PUSH = {
  ref: 'refs/heads/main',
  before: '9049f1265b7d61be4a8904a9a27120d2064dab3b',
  after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
  compare: 'https://github.com/Codertocat/Hello-World/compare/9049f1265b7d...0d1a26e67d8f',
  commits: [
    {
      id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      message: 'Update README.md\n\nLonger description of the change',
      timestamp: '2019-05-15T15:20:41Z',
      url: 'https://github.com/Codertocat/Hello-World/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      author: { name: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com', username: 'Codertocat' },
    },
  ],
  repository: { id: 186853002, name: 'Hello-World', full_name: 'Codertocat/Hello-World', html_url: 'https://github.com/Codertocat/Hello-World' },
  pusher: { name: 'Codertocat', email: '21031067+Codertocat@users.noreply.github.com' },
  sender: { login: 'Codertocat', id: 21031067, avatar_url: 'https://avatars1.githubusercontent.com/u/21031067?v=4' },
};

/** In the style of the community Prometheus Alertmanager script: a loop counter and a message built in implicit globals. */
const ALERTMANAGER_SCRIPT = `
class Script {
  process_incoming_request({ request }) {
    alertColor = 'warning';
    if (request.content.status == 'resolved') alertColor = 'good';
    else if (request.content.status == 'firing') alertColor = 'danger';
    finFields = [];
    for (i = 0; i < request.content.alerts.length; i++) {
      endVal = request.content.alerts[i];
      elem = { title: 'alertname: ' + endVal.labels.alertname, value: '*instance:* ' + endVal.labels.instance, short: false };
      finFields.push(elem);
      if (!!endVal.annotations.summary) finFields.push({ title: 'summary', value: endVal.annotations.summary });
    }
    return {
      content: {
        username: 'Prometheus Alert',
        attachments: [{ color: alertColor, title_link: request.content.externalURL, title: 'Prometheus notification', fields: finFields }],
      },
    };
  }
}`;

/** Alertmanager's webhook body (version 4), as its documentation shows it. */
const ALERTMANAGER_BODY = {
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'rocketchat',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', severity: 'page' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example.com:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', instance: 'web-1:9100', severity: 'page' },
      annotations: { summary: 'p99 latency above 500 ms' },
      startsAt: '2026-11-30T09:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.com:9090/graph',
      fingerprint: 'c4d3e5f6a7b8c9d0',
    },
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', instance: 'web-2:9100', severity: 'page' },
      annotations: {},
      startsAt: '2026-11-30T09:00:05.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example.com:9090/graph',
      fingerprint: 'd0c9b8a7f6e5d4c3',
    },
  ],
};

describe(`Rocket.Chat scripts run unchanged (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  const newRoom = async () => {
    n += 1;
    return (await admin.post('/api/v1/channels.create', { name: `compat-${n}` }).expect(200)).body.channel as { _id: string; name: string };
  };
  const messagesIn = async (roomId: string) =>
    (await admin.get('/api/v1/channels.messages', { roomId, count: 50 }).expect(200)).body.messages as Record<string, any>[];
  const scriptedHook = async (script: string, extra: Record<string, unknown> = {}) => {
    const room = await newRoom();
    const hook = await createIntegration(admin, incomingBody({ channel: `#${room.name}`, scriptEnabled: true, script, ...extra }));
    return { room, hook, url: `/hooks/${hook._id}/${hook.token}` };
  };

  describe('transpiling (scripts run sloppy, as on Rocket.Chat)', () => {
    it("runs Rocket.Chat's own e2e script: a form body that is just JSON, and `msg = …` in a method", async () => {
      const script =
        'const buildMessage = (obj) => {\n  const template = `[#VALUE](${ obj.test })`;\n  return { text: template };\n};\n' +
        'class Script {\n  process_incoming_request({ request }) {\n    msg = buildMessage(request.content);\n    return { content: { text: msg.text } };\n  }\n}';
      const { room, hook, url } = await scriptedHook(script);
      expect(hook.scriptCompiled).toContain('var Script=function()');
      expect(hook).not.toHaveProperty('scriptError');
      await t.http.post(url).set('Content-Type', 'application/x-www-form-urlencoded').send(JSON.stringify({ test: 'test' })).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('[#VALUE](test)');
    });

    it('runs a GitHub-style script against a GitHub push payload', async () => {
      const { room, url } = await scriptedHook(GITHUB_SCRIPT);
      expect((await t.http.post(url).set('X-GitHub-Event', 'push').send(GITHUB_PUSH).expect(200)).body).toEqual({ success: true });
      const [message] = await messagesIn(room._id);
      expect(message.msg).toBe('1 new commit(s) to [Codertocat/Hello-World](https://github.com/Codertocat/Hello-World/compare/9049f1265b7d...0d1a26e67d8f) main');
      expect(message.alias).toBe('Codertocat');
      expect(message.avatar).toBe('https://avatars1.githubusercontent.com/u/21031067?v=4');
      expect(message.attachments[0].text).toBe('[0d1a26e](https://github.com/Codertocat/Hello-World/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c) Update README.md - Codertocat');
      const refused = await t.http.post(url).set('X-GitHub-Event', 'issues').send({ action: 'opened' }).expect(400);
      expect(refused.body.error).toEqual({ success: false, message: 'unsupported event issues' });
    });

    it('runs an Alertmanager-style script against an Alertmanager notification', async () => {
      const { room, url } = await scriptedHook(ALERTMANAGER_SCRIPT);
      await t.http.post(url).send(ALERTMANAGER_BODY).expect(200);
      const [message] = await messagesIn(room._id);
      expect(message.alias).toBe('Prometheus Alert');
      expect(message.attachments).toEqual([
        {
          color: 'danger',
          title_link: 'http://alertmanager.example.com:9093',
          title: 'Prometheus notification',
          fields: [
            { title: 'alertname: HighLatency', value: '*instance:* web-1:9100', short: false },
            { title: 'summary', value: 'p99 latency above 500 ms' },
            { title: 'alertname: HighLatency', value: '*instance:* web-2:9100', short: false },
          ],
        },
      ]);
    });

    it('gives `this` in a plain nested function the global object, and async methods still work', async () => {
      const script = `class Script {
        async process_incoming_request({ request }) {
          function who() { return this === global ? 'global' : typeof this; }
          const waited = await Promise.resolve(request.content.n * 2);
          return { content: { text: who() + ' ' + waited } };
        }
      }`;
      const { room, url } = await scriptedHook(script);
      await t.http.post(url).send({ n: 21 }).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('global 42');
    });

    it('skipTranspile stores the script as written, where class bodies are strict (and a syntax error is still caught)', async () => {
      const script = 'class Script { process_incoming_request({ request }) { msg = request.content.text; return { content: { text: msg } }; } }';
      const { hook, url } = await scriptedHook(script, { skipTranspile: true });
      expect(hook).toMatchObject({ skipTranspile: true, scriptCompiled: script });
      expect((await t.http.post(url).send({ text: 'x' }).expect(400)).body).toEqual({ success: false, error: 'error-running-script' });
      const broken = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: 'class Script {', skipTranspile: true }));
      expect(broken.scriptError).toMatchObject({ name: 'SyntaxError' });
      const fixed = await admin
        .put('/api/v1/integrations.update', { ...incomingBody({ scriptEnabled: true, script }), integrationId: hook._id, skipTranspile: false })
        .expect(200);
      expect(fixed.body.integration.skipTranspile).toBe(false);
      expect(fixed.body.integration.scriptCompiled).toContain('var Script=function()');
      await t.http.post(url).send({ text: 'now sloppy' }).expect(200);
    });

    it('transpiles, by migration, scripts an earlier version stored as written', async () => {
      const script = 'class Script { process_incoming_request({ request }) { msg = request.content.text; return { content: { text: msg } }; } }';
      const { room, hook, url } = await scriptedHook(script, { skipTranspile: true });
      const dataSource = t.app.get(DataSource);
      await dataSource.query(`UPDATE integrations SET script_compiled = script, updated_at = now() WHERE id = $1`, [hook._id]);
      await rerunMigrationsFrom(dataSource, 'TranspiledScripts1763885500000');
      const after = (await admin.get('/api/v1/integrations.get', { integrationId: hook._id }).expect(200)).body.integration;
      expect(after.scriptCompiled).toContain('var Script=function()');
      await t.http.post(url).send({ text: 'migrated' }).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('migrated');
    });

    it('reports a Babel syntax error as scriptError and still saves', async () => {
      const bad = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: 'class Script { process_incoming_request( { }' }));
      expect(bad.scriptError).toEqual({ name: 'SyntaxError', message: expect.stringContaining('Unexpected token'), stack: expect.any(String) });
      expect(bad).not.toHaveProperty('scriptCompiled');
    });
  });

  describe("Rocket.Chat's sandbox globals", () => {
    it('has `s` with Rocket.Chat string helpers', async () => {
      const script = `class Script {
        process_incoming_request({ request }) {
          const c = request.content;
          return { content: { text: [s.trim(c.padded), s.truncate(c.long, 8), s.capitalize('hELLO', true), s.stripTags('<b>bold</b>'),
            s.escapeHTML('<a & b>'), s.strLeft('a-b-c', '-'), s.strRight('a-b-c', '-'), s.strRightBack('a-b-c', '-'), s.numberFormat(1234567.891, 2),
            s.pad('7', 3, '0', 'left'), s.lrpad('x', 5, '*'), s.ltrim('__a', '_'), s.rtrim('a__', '_')].join('|') } };
        }
      }`;
      const { room, url } = await scriptedHook(script);
      await t.http.post(url).send({ padded: '  spaced  ', long: 'abcdefghijkl' }).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('spaced|abcde...|Hello|bold|&lt;a &amp; b&gt;|a|b-c|c|1,234,567.89|007|**x**|a|a');
    });

    it('has the whole console (dir, table, trace, time, count, group, assert) and serverFetch as well as fetch', async () => {
      const script = `class Script {
        process_incoming_request() {
          console.dir({ a: 1 }); console.table([{ a: 1 }]); console.trace('t'); console.time('x'); console.timeLog('x'); console.timeEnd('x');
          console.count(); console.countReset(); console.group('g'); console.groupCollapsed(); console.groupEnd(); console.groupEnd();
          console.assert(1 === 2, 'false'); console.debug('d'); console.info('i'); console.warn('w'); console.error('e'); console.clear();
          return { content: { text: typeof fetch + ' ' + typeof serverFetch + ' ' + typeof Store.get + ' ' + (global === globalThis) } };
        }
      }`;
      const { room, url } = await scriptedHook(script);
      await t.http.post(url).send({}).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('function function function true');
    });

    it.each([
      ['var console', 'var console;'],
      ['const global', 'const global = { mine: true };'],
      ['let Store', 'let Store = { get: () => "own store" };'],
      ['function s', 'function s() { return "own s"; }'],
    ])('lets a script declare its own %s', async (_name, declaration) => {
      const script = `${declaration}\nclass Script { process_incoming_request() { return { content: { text: 'declared ' + typeof console.log } }; } }`;
      const { room, hook, url } = await scriptedHook(script);
      expect(hook).not.toHaveProperty('scriptError');
      await t.http.post(url).send({}).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('declared function');
    });

    it('hides the host bridge from scripts', async () => {
      const script = `class Script { process_incoming_request() { return { content: { text: [typeof __log, typeof __fetch, typeof require, typeof process, typeof ivm].join(' ') } }; } }`;
      const { room, url } = await scriptedHook(script);
      await t.http.post(url).send({}).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('undefined undefined undefined undefined undefined');
    });
  });

  describe('JSON array bodies', () => {
    it('hands an array body to the script as it is', async () => {
      const script = 'class Script { process_incoming_request({ request }) { return { content: { text: request.content.map((e) => e.name).join(",") } }; } }';
      const { room, url } = await scriptedHook(script);
      await t.http.post(url).send([{ name: 'first' }, { name: 'second' }]).expect(200);
      expect((await messagesIn(room._id))[0].msg).toBe('first,second');
    });

    it('accepts an array body without a script (it carries no message fields, so nothing is posted)', async () => {
      const room = await newRoom();
      const hook = await createIntegration(admin, incomingBody({ channel: `#${room.name}` }));
      expect((await t.http.post(`/hooks/${hook._id}/${hook.token}`).send([]).expect(200)).body).toEqual({ success: true });
      expect((await t.http.post(`/hooks/${hook._id}/${hook.token}`).send([{ text: 'x' }]).expect(200)).body).toEqual({ success: true });
      expect(await messagesIn(room._id)).toEqual([]);
    });
  });
});

describe(`text PostgreSQL cannot store (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  const newest = async () => (await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL', count: 1 }).expect(200)).body.messages[0];

  it.each([
    ['NUL', '\\u0000', 'a\uFFFDb'],
    ['a lone high surrogate', '\\ud800', 'a\uFFFDb'],
    ['a lone low surrogate', '\\udfff', 'a\uFFFDb'],
  ])('stores %s in a form-encoded payload as U+FFFD', async (_name, escape, stored) => {
    const hook = await createIntegration(admin, incomingBody());
    const payload = `{"text":"a${escape}b","attachments":[{"title":"a${escape}b","a${escape}b":1}]}`;
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).type('form').send(`payload=${encodeURIComponent(payload)}`).expect(200);
    const message = await newest();
    expect(message.msg).toBe(stored);
    expect(message.attachments[0]).toEqual({ title: stored, [stored]: 1 });
  });

  it('keeps well-formed surrogate pairs (emoji) as they are', async () => {
    const hook = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({ text: 'ship it 🚀' }).expect(200);
    expect((await newest()).msg).toBe('ship it 🚀');
  });

  it('accepts NUL and lone surrogates in JSON bodies and query strings of API routes', async () => {
    const body = '{"roomId":"GENERAL","text":"x\\u0000y\\ud800z\\udc00"}';
    await admin.post('/api/v1/chat.postMessage').set('content-type', 'application/json').send(body).expect(200);
    expect((await newest()).msg).toBe('x\uFFFDy\uFFFDz\uFFFD');
    const created = await admin.post('/api/v1/integrations.create', incomingBody({ name: 'nul\u0000name', alias: '\ud800' })).expect(200);
    expect(created.body.integration).toMatchObject({ name: 'nul\uFFFDname', alias: '\uFFFD' });
    // The query string is made storable the same way, so the search finds what was stored.
    expect((await admin.get('/api/v1/integrations.list', { name: 'nul\u0000' }).expect(200)).body.total).toBe(1);
    await admin.get('/api/v1/channels.info', { roomName: 'gen\u0000eral' }).expect(400);
  });

  it('stores script results and form fields carrying them', async () => {
    const hook = await createIntegration(
      admin,
      incomingBody({ scriptEnabled: true, script: 'class Script { process_incoming_request() { return { content: { text: "from\\u0000script\\ud800" } }; } }' }),
    );
    await t.http.post(`/hooks/${hook._id}/${hook.token}`).send({}).expect(200);
    expect((await newest()).msg).toBe('from\uFFFDscript\uFFFD');
    const plain = await createIntegration(admin, incomingBody());
    await t.http.post(`/hooks/${plain._id}/${plain.token}`).type('form').send({ text: 'field\u0000value', alias: 'two fields' }).expect(200);
    expect((await newest()).msg).toBe('field\uFFFDvalue');
  });
});

describe(`outgoing scripts as on Rocket.Chat (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ scripts: { disabled: false, timeoutMs: 1000, memoryMb: 16 } });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('sends string `data` from prepare_outgoing_request as it is, objects as JSON', async () => {
    const room = (await admin.post('/api/v1/channels.create', { name: 'outgoing-compat' }).expect(200)).body.channel;
    const script = `class Script {
      prepare_outgoing_request({ request }) {
        payload = { text: request.data.text, from: 'script' };
        if (request.data.text === 'form') return { url: request.url + '/form', method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, data: 'text=form' };
        if (request.data.text === 'object') return { url: request.url + '/object', method: 'POST', data: payload };
        return { url: request.url + '/string', method: 'POST', data: JSON.stringify(payload) };
      }
    }`;
    await createIntegration(admin, outgoingBody({ channel: `#${room.name}`, urls: [`${sink.url}/compat`], scriptEnabled: true, script }));
    for (const text of ['string', 'object', 'form']) await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text }).expect(200);
    await eventually(async () => sink.received.length, (count) => count >= 3);
    const [asString] = sink.at('/compat/string');
    expect(asString.json).toEqual({ text: 'string', from: 'script' });
    expect(asString.headers['content-type']).toBe('application/json');
    expect(sink.at('/compat/object')[0].json).toEqual({ text: 'object', from: 'script' });
    const [form] = sink.received.filter((r) => r.url === '/compat/form');
    expect(form.body).toBe('text=form');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
});

describe(`rooms of teams (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  const members = async (kind: 'channels' | 'groups', roomId: string) =>
    ((await admin.get(`/api/v1/${kind}.members`, { roomId }).expect(200)).body.members as { _id: string }[]).map((m) => m._id);
  const messages = async (kind: 'channels' | 'groups', roomId: string) =>
    ((await admin.get(`/api/v1/${kind}.messages`, { roomId }).expect(200)).body.messages as { msg: string }[]).map((m) => m.msg);
  const hookAs = async (username: string, channel: string) => {
    const hook = await createIntegration(admin, incomingBody({ username, channel }));
    return `/hooks/${hook._id}/${hook.token}`;
  };

  it("refuses a non-member's webhook in a private team's public channel, and neither posts nor joins (Rocket.Chat's e2e cases)", async () => {
    const outsider = await createUser(t, admin);
    const insider = await createUser(t, admin);
    const team = (await admin.post('/api/v1/teams.create', { name: 'private-team', type: 1, members: [insider.username] }).expect(200)).body.team;
    const inTeam = (await admin.post('/api/v1/channels.create', { name: 'private-team-public', extraData: { teamId: team._id } }).expect(200)).body.channel;
    const group = (await admin.post('/api/v1/groups.create', { name: 'plain-private' }).expect(200)).body.group;
    const open = (await admin.post('/api/v1/channels.create', { name: 'plain-public' }).expect(200)).body.channel;

    const intoTeamChannel = await hookAs(outsider.username, `#${inTeam.name}`);
    expect((await t.http.post(intoTeamChannel).send({ text: 'outsider in team' }).expect(400)).body).toEqual({ success: false, error: 'error-not-allowed' });
    expect(await messages('channels', inTeam._id)).not.toContain('outsider in team');
    expect(await members('channels', inTeam._id)).not.toContain(outsider.userId);

    const intoGroup = await hookAs(outsider.username, `#${group.name}`);
    expect((await t.http.post(intoGroup).send({ text: 'outsider in group' }).expect(400)).body).toEqual({ success: false, error: 'error-not-allowed' });
    expect(await members('groups', group._id)).not.toContain(outsider.userId);

    const intoOpen = await hookAs(outsider.username, `#${open.name}`);
    await t.http.post(intoOpen).send({ text: 'outsider in public' }).expect(200);
    expect(await messages('channels', open._id)).toContain('outsider in public');
    expect(await members('channels', open._id)).toContain(outsider.userId);

    // A member of the private team may enter its public channels.
    const teamMember = await hookAs(insider.username, `#${inTeam.name}`);
    await t.http.post(teamMember).send({ text: 'insider in team' }).expect(200);
    expect(await members('channels', inTeam._id)).toContain(insider.userId);

    // channels.join and chat.postMessage follow the same rule.
    expect((await outsider.post('/api/v1/channels.join', { roomId: inTeam._id }).expect(400)).body.errorType).toBe('error-not-allowed');
    await outsider.post('/api/v1/chat.postMessage', { roomId: inTeam._id, text: 'direct' }).expect(400);
  });

  it("joins anyone's webhook to a public team's public channel", async () => {
    const outsider = await createUser(t, admin);
    const team = (await admin.post('/api/v1/teams.create', { name: 'public-team', type: 0 }).expect(200)).body.team;
    const inTeam = (await admin.post('/api/v1/channels.create', { name: 'public-team-public', extraData: { teamId: team._id } }).expect(200)).body.channel;
    await t.http.post(await hookAs(outsider.username, `#${inTeam.name}`)).send({ text: 'welcome' }).expect(200);
    expect(await members('channels', inTeam._id)).toContain(outsider.userId);
    const privateInTeam = (await admin.post('/api/v1/groups.create', { name: 'public-team-private', extraData: { teamId: team._id } }).expect(200)).body.group;
    expect((await t.http.post(await hookAs(outsider.username, `#${privateInTeam.name}`)).send({ text: 'no' }).expect(400)).body.error).toBe('error-not-allowed');
  });
});
