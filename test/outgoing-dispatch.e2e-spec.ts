import { Client, createUser, loginAsAdmin } from './support/api';
import { eventually, settle } from './support/eventually';
import { createIntegration, outgoingBody } from './support/integrations';
import { watchOutbox } from './support/outbox';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`outgoing: which events fire which integrations, with which body (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let paths = 0;
  beforeAll(async () => {
    sink = await Sink.start();
    t = await startTestApp({ rootUrl: 'https://chat.example.com' });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** An outgoing integration whose url is a path of its own on the sink. */
  const hookTo = (extra: Record<string, unknown>) => {
    paths += 1;
    return createIntegration(admin, outgoingBody({ urls: [`${sink.url}/hook-${paths}`], ...extra }));
  };
  const arrivals = (integration: Record<string, any>) =>
    (integration.urls as string[]).flatMap((u) => sink.received.filter((r) => r.url === new URL(u).pathname).map((r) => ({ url: r.url, payload: JSON.parse(r.body) })));
  const queued = (integration: Record<string, any>, count = 1) => eventually(async () => arrivals(integration), (d) => d.length >= count);
  const none = async (integration: Record<string, any>) => {
    await settle();
    expect(arrivals(integration)).toEqual([]);
  };
  const post = (text: string, roomId = 'GENERAL', client = admin) => client.post('/api/v1/chat.postMessage', { roomId, text }).expect(200);

  describe('sendMessage', () => {
    it('queues the deliveries in the post\'s own statement once the process knows the room\'s listeners: no outbox row, the same body', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'direct-path' }).expect(200)).body.channel;
      const hook = await hookTo({ channel: '#direct-path', token: 'direct-token', triggerWords: ['go'] });
      const outbox = await watchOutbox(t);
      // The room's first post goes through the outbox: its listeners are looked up then.
      await post('go first', room._id);
      await queued(hook, 1);
      await eventually(async () => (await outbox.since()).length, (n) => n === 1);
      await outbox.reset();
      const later = await Promise.all(['go second', 'go third', 'not this one'].map((text) => post(text, room._id)));
      const delivered = await queued(hook, 3);
      await settle();
      expect(await outbox.since()).toEqual([]);
      expect(arrivals(hook)).toHaveLength(3);
      expect(delivered.map((d) => d.payload.text).sort()).toEqual(['go first', 'go second', 'go third']);
      const second = delivered.find((d) => d.payload.text === 'go second')?.payload;
      expect(second).toEqual({
        token: 'direct-token', bot: false, channel_id: room._id, channel_name: 'direct-path', message_id: later[0].body.message._id,
        timestamp: later[0].body.message.ts, user_id: admin.userId, user_name: expect.any(String), text: 'go second', trigger_word: 'go', siteUrl: 'https://chat.example.com',
      });
    });

    it('queues one delivery per url with the §5.4 body (token added at send time)', async () => {
      const hook = await createIntegration(admin, outgoingBody({ urls: [`${sink.url}/a`, `${sink.url}/b`], token: 'secret-token' }));
      const message = (await post('hello out there')).body.message;
      const deliveries = await queued(hook, 2);
      expect(deliveries.map((d) => d.url).sort()).toEqual(['/a', '/b']);
      expect(sink.received.find((r) => r.url === '/a')).toMatchObject({ method: 'POST', headers: expect.objectContaining({ 'content-type': 'application/json' }) });
      expect(deliveries[0].payload).toEqual({
        token: 'secret-token',
        bot: false,
        channel_id: 'GENERAL',
        channel_name: 'general',
        message_id: message._id,
        timestamp: message.ts,
        user_id: admin.userId,
        user_name: 'rocketchat.internal.admin.test',
        text: 'hello out there',
        siteUrl: 'https://chat.example.com',
      });
    });

    it('applies trigger words: prefix by default, anywhere on request, case-sensitive', async () => {
      const prefix = await hookTo({ triggerWords: ['!deploy', '!ship'] });
      const anywhere = await hookTo({ triggerWords: ['urgent'], triggerWordAnywhere: true });
      await post('please !deploy now');
      await post('this is URGENT');
      await none(prefix);
      await none(anywhere);
      await post('!ship it, it is urgent');
      expect((await queued(prefix))[0].payload).toMatchObject({ trigger_word: '!ship', text: '!ship it, it is urgent' });
      expect((await queued(anywhere))[0].payload).toMatchObject({ trigger_word: 'urgent' });
    });

    it('fires on edits only with runOnEdits, marking them isEdited', async () => {
      const plain = await hookTo({ triggerWords: ['edit-me'] });
      const onEdits = await hookTo({ triggerWords: ['edit-me'], runOnEdits: true });
      const message = (await post('edit-me once')).body.message;
      await queued(plain);
      await queued(onEdits);
      await admin.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId: message._id, text: 'edit-me twice' }).expect(200);
      const edited = await queued(onEdits, 2);
      expect(edited[1].payload).toMatchObject({ text: 'edit-me twice', isEdited: true });
      await settle();
      expect(arrivals(plain)).toHaveLength(1);
    });

    it('skips disabled integrations and other rooms; matches rooms by id, name, scope or an empty list', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'ops' }).expect(200)).body.channel;
      const group = (await admin.post('/api/v1/groups.create', { name: 'ops-private' }).expect(200)).body.group;
      const disabled = await hookTo({ channel: '#ops', enabled: false });
      const otherRoom = await hookTo({ channel: '#general' });
      const byName = await hookTo({ channel: '#ops' });
      const byId = await hookTo({ channel: `#${room._id}` });
      const allPublic = await hookTo({ channel: 'all_public_channels' });
      const emptyList = await hookTo({ channel: ' , ' });
      const allPrivate = await hookTo({ channel: 'all_private_groups' });
      await post('in ops', room._id);
      for (const hook of [byName, byId, allPublic, emptyList]) expect((await queued(hook))[0].payload).toMatchObject({ channel_id: room._id, channel_name: 'ops' });
      await none(disabled);
      await none(otherRoom);
      await none(allPrivate);
      await post('in private', group._id);
      expect((await queued(allPrivate))[0].payload).toMatchObject({ channel_id: group._id, text: 'in private' });
      await settle();
      expect(arrivals(allPublic)).toHaveLength(1);
    });

    it('matches direct messages by participant (not the author’s own name) and all_direct_messages', async () => {
      const bob = await createUser(t, admin);
      const carol = await createUser(t, admin);
      const toCarol = await hookTo({ channel: `@${carol.username}` });
      const authorsName = await hookTo({ channel: `@${bob.username}` });
      const authorsId = await hookTo({ channel: `@${bob.userId}` });
      const allDms = await hookTo({ channel: 'all_direct_messages' });
      await bob.post('/api/v1/chat.postMessage', { channel: `@${carol.username}`, text: 'dm' }).expect(200);
      const [dm] = await queued(toCarol);
      expect(dm.payload).toMatchObject({ text: 'dm' });
      expect(dm.payload).not.toHaveProperty('channel_name');
      await queued(allDms);
      // Rocket.Chat leaves out the author's username but not the author's id (§5.2).
      await queued(authorsId);
      await none(authorsName);
    });
  });

  describe('the other events', () => {
    it('roomCreated, roomJoined, roomLeft, roomArchived carry channel, user and room', async () => {
      const created = await hookTo({ event: 'roomCreated' });
      const room = (await admin.post('/api/v1/channels.create', { name: 'lobby' }).expect(200)).body.channel;
      const joined = await hookTo({ event: 'roomJoined', channel: '#lobby' });
      const left = await hookTo({ event: 'roomLeft', channel: 'all_public_channels' });
      const archived = await hookTo({ event: 'roomArchived' });
      expect((await queued(created))[0].payload).toEqual({
        bot: false,
        channel_id: room._id,
        channel_name: 'lobby',
        timestamp: room.ts,
        user_id: admin.userId,
        user_name: 'rocketchat.internal.admin.test',
        owner: expect.objectContaining({ _id: admin.userId }),
        room: expect.objectContaining({ _id: room._id, name: 'lobby' }),
      });
      const bob = await createUser(t, admin);
      await bob.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
      expect((await queued(joined))[0].payload).toMatchObject({ channel_id: room._id, user_id: bob.userId, user_name: bob.username, bot: false, user: { _id: bob.userId }, timestamp: expect.any(String) });
      await bob.post('/api/v1/channels.leave', { roomId: room._id }).expect(200);
      expect((await queued(left))[0].payload).toMatchObject({ channel_id: room._id, user_id: bob.userId });
      await admin.post('/api/v1/channels.archive', { roomId: room._id }).expect(200);
      expect((await queued(archived))[0].payload).toMatchObject({ channel_id: room._id, user_id: admin.userId, room: { archived: true } });
    });

    it('userCreated carries the user; fileUploaded the user, room and file message', async () => {
      const users = await hookTo({ event: 'userCreated', targetRoom: '#general' });
      const files = await hookTo({ event: 'fileUploaded' });
      const bob = await createUser(t, admin);
      expect((await queued(users))[0].payload).toMatchObject({ user_id: bob.userId, user_name: bob.username, bot: false, user: { _id: bob.userId } });
      const upload = await admin.post('/api/v1/rooms.upload/GENERAL').attach('file', Buffer.from('x'), { filename: 'x.txt' }).expect(200);
      expect((await queued(files))[0].payload).toMatchObject({
        channel_id: 'GENERAL',
        message_id: upload.body.message._id,
        user: { _id: admin.userId },
        room: { _id: 'GENERAL' },
        message: { file: { name: 'x.txt' } },
      });
    });
  });
});
