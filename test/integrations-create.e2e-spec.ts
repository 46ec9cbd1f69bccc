import { DataSource } from 'typeorm';
import { Client, createUser, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const TOKEN = /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{48}$/;

describe(`integrations.create (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
    for (const username of ['test.cat', 'pimenta.bot']) {
      await admin.post('/api/v1/users.create', { username, name: username, email: `${username}@example.com`, password: 'pw' }).expect(200);
    }
  });
  afterAll(async () => t.close());

  const create = (body: unknown, client = admin) => client.post('/api/v1/integrations.create', body);

  describe('the seed documents’ request bodies, verbatim', () => {
    it('creates the incoming example and answers the documented shape', async () => {
      const res = await create({ type: 'webhook-incoming', username: 'test.cat', channel: '#general', scriptEnabled: true, name: 'test.cat', enabled: true }).expect(200);
      expect(res.headers['content-type']).toBe('application/json');
      const testCat = (await admin.get('/api/v1/users.info', { username: 'test.cat' })).body.user;
      expect(res.body).toEqual({
        integration: {
          _id: expect.any(String),
          type: 'webhook-incoming',
          username: 'test.cat',
          channel: ['#general'],
          scriptEnabled: true,
          name: 'test.cat',
          enabled: true,
          scriptEngine: 'isolated-vm',
          overrideDestinationChannelEnabled: false,
          token: expect.stringMatching(TOKEN),
          userId: testCat._id,
          _createdAt: expect.any(String),
          _createdBy: { _id: admin.userId, username: 'rocketchat.internal.admin.test' },
          _updatedAt: expect.any(String),
        },
        success: true,
      });
    });

    it('creates the outgoing example', async () => {
      const res = await create({
        type: 'webhook-outgoing',
        username: 'test.cat',
        channel: '#general',
        scriptEnabled: true,
        name: 'test.cat',
        enabled: true,
        event: 'sendMessage',
        urls: ['https://text2gif.guggy.com/guggify'],
      }).expect(200);
      expect(res.body.integration).toEqual({
        _id: expect.any(String),
        type: 'webhook-outgoing',
        username: 'test.cat',
        channel: ['#general'],
        scriptEnabled: true,
        name: 'test.cat',
        enabled: true,
        event: 'sendMessage',
        urls: ['https://text2gif.guggy.com/guggify'],
        scriptEngine: 'isolated-vm',
        signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
        userId: expect.any(String),
        _createdAt: expect.any(String),
        _createdBy: { _id: admin.userId, username: 'rocketchat.internal.admin.test' },
        _updatedAt: expect.any(String),
      });
    });

    it('runs the 0.49 curl call (no channel, no event) into today’s schema errors, and the 1.x call with event', async () => {
      const old = await create({ type: 'webhook-outgoing', name: 'Testing via REST API', enabled: false, username: 'rocket.cat', urls: ['http://text2gif.guggy.com/guggify'], scriptEnabled: false }).expect(400);
      expect(old.body).toEqual({
        success: false,
        error: "must have required property 'channel'\n must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]",
        errorType: 'invalid-params',
      });
      const current = await create({ type: 'webhook-outgoing', name: 'Testing via REST API', event: 'sendMessage', enabled: false, username: 'pimenta.bot', urls: ['http://text2gif.guggy.com/guggify'], scriptEnabled: false, channel: '#general' }).expect(200);
      expect(current.body.integration).toMatchObject({ event: 'sendMessage', username: 'pimenta.bot', enabled: false });
    });
  });

  describe('schema errors (§2.1, §2.2)', () => {
    it('answers the oneOf messages of the examples', async () => {
      expect((await create({ username: 'rocket.cat', channel: '#general', scriptEnabled: false, name: 'x', enabled: true }).expect(400)).body).toEqual({
        success: false,
        error: "must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf [invalid-params]",
        errorType: 'invalid-params',
      });
      expect((await create({ type: 'webhook-incoming', channel: '#general', scriptEnabled: false, name: 'x', enabled: true }).expect(400)).body.error).toBe(
        "must have required property 'username'\n must have required property 'username'\n must match exactly one schema in oneOf [invalid-params]",
      );
      expect((await create(incomingBody({ token: 'mine' })).expect(400)).body.error).toBe(
        "must NOT have additional properties\n must have required property 'event'\n must match exactly one schema in oneOf [invalid-params]",
      );
      expect((await create(incomingBody({ enabled: 'yes' })).expect(400)).body.error).toBe(
        "must be boolean\n must have required property 'event'\n must match exactly one schema in oneOf [invalid-params]",
      );
      expect((await create([incomingBody()]).expect(400)).body.error).toMatch(/must be object/);
    });

    it('answers an unknown type containing a known one with "Invalid integration type."', async () => {
      const res = await create(incomingBody({ type: 'webhook-incoming-invalid' })).expect(400);
      expect(res.body).toEqual({ success: false, error: 'Invalid integration type.' });
    });
  });

  describe('incoming rules, in order (§3.1)', () => {
    it('refuses a caller without either incoming permission first', async () => {
      const bob = await createUser(t, admin);
      expect((await create(incomingBody({ channel: 'bad', username: 'nobody' }), bob).expect(400)).body).toEqual(meteorError('not_authorized', 'Unauthorized'));
    });

    it('then checks channel, username, user, rooms and membership, in that order', async () => {
      expect((await create(incomingBody({ channel: '  ', username: 'nobody' })).expect(400)).body).toEqual(meteorError('error-invalid-channel', 'Invalid channel'));
      expect((await create(incomingBody({ channel: '#general, general', username: 'nobody' })).expect(400)).body).toEqual(
        meteorError('error-invalid-channel-start-with-chars', 'Invalid channel. Start with @ or #'),
      );
      expect((await create(incomingBody({ channel: '#general,,#x' })).expect(400)).body.errorType).toBe('error-invalid-channel-start-with-chars');
      expect((await create(incomingBody({ username: '   ', channel: '#nope' })).expect(400)).body).toEqual(meteorError('error-invalid-username', 'Invalid username'));
      expect((await create(incomingBody({ username: 'Rocket.Cat', channel: '#nope' })).expect(400)).body).toEqual(meteorError('error-invalid-user', 'Invalid user'));
      expect((await create(incomingBody({ channel: '#general,#nope' })).expect(400)).body).toEqual(meteorError('error-invalid-room', 'Invalid room'));
      expect((await create(incomingBody({ channel: '@ghost' })).expect(400)).body).toEqual(meteorError('error-invalid-room', 'Invalid room'));
    });

    it('requires membership of the rooms from a caller holding only one of the two permissions', async () => {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-incoming-integrations', roles: ['admin', 'user'] }] }).expect(200);
      try {
        const bob = await createUser(t, admin);
        const room = (await admin.post('/api/v1/channels.create', { name: 'not-bobs' }).expect(200)).body.channel;
        expect((await create(incomingBody({ channel: '#not-bobs' }), bob).expect(400)).body).toEqual(meteorError('error-invalid-channel', 'Invalid Channel'));
        await bob.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
        const ok = await create(incomingBody({ channel: `#not-bobs,#${room._id}` }), bob).expect(200);
        expect(ok.body.integration.channel).toEqual(['#not-bobs', `#${room._id}`]);
        // Rocket.Chat's quirk: @user targets are checked against subscriptions by user id, so they always fail here.
        expect((await create(incomingBody({ channel: `@${bob.username}` }), bob).expect(400)).body.errorType).toBe('error-invalid-channel');
      } finally {
        await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-incoming-integrations', roles: ['admin'] }] }).expect(200);
      }
    });

    it('stores the trimmed channel list, drops empty optional fields, and makes the post-as user a bot', async () => {
      const helper = await createUser(t, admin);
      const res = await create(incomingBody({ channel: ' #general , @rocket.cat ', username: helper.username, alias: '', emoji: ':ghost:', avatar: null })).expect(200);
      expect(res.body.integration.channel).toEqual(['#general', '@rocket.cat']);
      expect(res.body.integration).not.toHaveProperty('alias');
      expect(res.body.integration).not.toHaveProperty('avatar');
      expect(res.body.integration.emoji).toBe(':ghost:');
      const info = await admin.get('/api/v1/users.info', { userId: helper.userId }).expect(200);
      expect(info.body.user.roles).toEqual(expect.arrayContaining(['user', 'bot']));
    });

    it('gives every incoming integration its own 48-character token', async () => {
      const tokens = new Set<string>();
      for (let i = 0; i < 5; i++) tokens.add((await createIntegration(admin, incomingBody())).token);
      expect(tokens.size).toBe(5);
      for (const token of tokens) expect(token).toMatch(TOKEN);
    });
  });

  describe('outgoing rules, in order (§3.2)', () => {
    it('refuses a caller without either outgoing permission with "[not_authorized]"', async () => {
      const bob = await createUser(t, admin);
      expect((await create(outgoingBody({ event: 'nope' }), bob).expect(400)).body).toEqual(meteorError('not_authorized'));
    });

    it('then checks event, username, target room, urls, channels, user, rooms', async () => {
      const expectError = async (body: Record<string, unknown>, code: string, reason: string) =>
        expect((await create(outgoingBody(body)).expect(400)).body).toEqual(meteorError(code, reason));
      await expectError({ event: 'messageSent', username: ' ' }, 'error-invalid-event-type', 'Invalid event type');
      await expectError({ event: ' ', username: ' ' }, 'error-invalid-event-type', 'Invalid event type');
      await expectError({ username: ' ', urls: [] }, 'error-invalid-username', 'Invalid username');
      await expectError({ event: 'userCreated', urls: [] }, 'error-invalid-targetRoom', 'Invalid Target Room');
      await expectError({ urls: undefined, channel: 'x' }, 'error-invalid-urls', 'Invalid URLs');
      await expectError({ urls: ['  '], channel: 'x' }, 'error-invalid-urls', 'Invalid URLs');
      await expectError({ channel: 'general', username: 'ghost' }, 'error-invalid-channel-start-with-chars', 'Invalid channel. Start with @ or #');
      await expectError({ username: 'ghost', channel: '#nope' }, 'error-invalid-user', 'Invalid user (did you delete the `rocket.cat` user?)');
      await expectError({ channel: '#general,#nope' }, 'error-invalid-room', 'Invalid room');
      await expectError({ channel: 'ALL_PRIVATE_GROUPS' }, 'error-invalid-room', 'Invalid room');
    });

    it('stores [] as the channel of events without channels, and keeps scoped names', async () => {
      const created = await createIntegration(admin, outgoingBody({ event: 'roomCreated', channel: '#general' }));
      expect(created.channel).toEqual([]);
      const scoped = await createIntegration(admin, outgoingBody({ channel: 'all_public_channels, all_private_groups,all_direct_messages, #general' }));
      expect(scoped.channel).toEqual(['all_public_channels', 'all_private_groups', 'all_direct_messages', '#general']);
      const blank = await createIntegration(admin, outgoingBody({ channel: ' , ' }));
      expect(blank.channel).toEqual([]);
      const userCreated = await createIntegration(admin, outgoingBody({ event: 'userCreated', targetRoom: '#general' }));
      expect(userCreated).toMatchObject({ channel: [], targetRoom: '#general' });
    });

    it('keeps the all-permission for scoped private targets and channel-less events', async () => {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-outgoing-integrations', roles: ['admin', 'user'] }] }).expect(200);
      try {
        const bob = await createUser(t, admin);
        expect((await create(outgoingBody({ event: 'roomCreated' }), bob).expect(400)).body).toEqual(
          meteorError('error-invalid-permissions', 'Invalid permission for required Integration creation.'),
        );
        expect((await create(outgoingBody({ channel: 'all_private_groups' }), bob).expect(400)).body).toEqual(meteorError('error-invalid-channel', 'Invalid Channel'));
        const mine = await create(outgoingBody({ channel: 'all_public_channels,#general' }), bob).expect(200);
        expect(mine.body.integration._createdBy._id).toBe(bob.userId);
      } finally {
        await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'manage-own-outgoing-integrations', roles: ['admin'] }] }).expect(200);
      }
    });

    it('filters blank urls and trigger words, coerces runOnEdits and normalises retries', async () => {
      const created = await createIntegration(
        admin,
        outgoingBody({ urls: ['http://a.example/x', '  ', 'http://b.example/y'], triggerWords: ['!go', ' ', ' spaced '], runOnEdits: false, retryFailedCalls: true, retryCount: -3, retryDelay: ' ' }),
      );
      expect(created).toMatchObject({
        urls: ['http://a.example/x', 'http://b.example/y'],
        triggerWords: ['!go', ' spaced '],
        runOnEdits: false,
        retryFailedCalls: true,
        retryCount: 4,
        retryDelay: 'powers-of-ten',
      });
      const custom = await createIntegration(admin, outgoingBody({ retryFailedCalls: true, retryCount: 2.7, retryDelay: 'Powers-Of-Two' }));
      expect(custom).toMatchObject({ retryCount: 2, retryDelay: 'powers-of-two' });
      const untouched = await createIntegration(admin, outgoingBody({ retryCount: 9, retryDelay: 'Weird' }));
      expect(untouched).toMatchObject({ retryCount: 9, retryDelay: 'Weird' });
      const noWords = await createIntegration(admin, outgoingBody({ event: 'roomJoined', triggerWords: ['ignored'] }));
      expect(noWords).not.toHaveProperty('triggerWords');
    });
  });

  describe('scripts on save (§3.5)', () => {
    it('stores scriptCompiled for a script that parses, and scriptError (the save still succeeds) for one that does not', async () => {
      const script = 'class Script { process_incoming_request({ request }) { return { content: { text: request.content.text } }; } }';
      const good = await createIntegration(admin, incomingBody({ scriptEnabled: true, script }));
      expect(good).toMatchObject({ script, scriptCompiled: expect.stringContaining('var Script=function()') });
      expect(good).not.toHaveProperty('scriptError');
      const bad = await createIntegration(admin, outgoingBody({ scriptEnabled: true, script: 'class Script { prepare_outgoing_request( { }' }));
      expect(bad.scriptError).toEqual({ name: 'SyntaxError', message: expect.any(String), stack: expect.stringContaining('SyntaxError') });
      expect(bad).not.toHaveProperty('scriptCompiled');
      const off = await createIntegration(admin, incomingBody({ scriptEnabled: false, script: 'not even javascript (' }));
      expect(off).not.toHaveProperty('scriptError');
      expect(off).not.toHaveProperty('scriptCompiled');
    });
  });
});

describe(`integrations.create with FREEZE_INTEGRATION_SCRIPTS (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ freezeIntegrationScripts: 'all' });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  it('leaves stored script fields untouched on update while other fields change', async () => {
    const row = { ...incomingBody(), scriptEnabled: true, script: 'class Script { old() {} }' };
    // Stored before the freeze: written straight to the table, as a server without the freeze would have.
    const created = await admin.post('/api/v1/integrations.create', incomingBody()).expect(200);
    await t.app.get(DataSource).query(`UPDATE integrations SET script_enabled = true, script = $2, script_compiled = $2 WHERE id = $1`, [
      created.body.integration._id,
      row.script,
    ]);
    const res = await admin
      .put('/api/v1/integrations.update', { ...incomingBody({ name: 'renamed', scriptEnabled: false }), integrationId: created.body.integration._id })
      .expect(200);
    expect(res.body.integration).toMatchObject({ name: 'renamed', scriptEnabled: true, script: row.script, scriptCompiled: row.script });
    const changed = await admin
      .put('/api/v1/integrations.update', { ...incomingBody({ scriptEnabled: true, script: 'class Script { other() {} }' }), integrationId: created.body.integration._id })
      .expect(400);
    expect(changed.body).toEqual({ success: false, error: 'integration-scripts-disabled' });
  });

  it('refuses new scripts but accepts integrations without one', async () => {
    const res = await admin.post('/api/v1/integrations.create', incomingBody({ scriptEnabled: true, script: 'class Script {}' })).expect(400);
    expect(res.body).toEqual({ success: false, error: 'integration-scripts-disabled' });
    await admin.post('/api/v1/integrations.create', outgoingBody({ script: '  ' })).expect(200);
  });
});
