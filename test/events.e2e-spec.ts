import { DOMAIN_EVENTS } from '../src/events/domain-events';
import { Client, createUser, loginAsAdmin } from './support/api';
import { eventually, settle } from './support/eventually';
import { createIntegration, outgoingBody } from './support/integrations';
import { RecordedEvent, watchOutbox } from './support/outbox';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`domain events in the outbox (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let sink: Sink;
  let outbox: Awaited<ReturnType<typeof watchOutbox>>;
  const listeners: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
    sink = await Sink.start();
    // The outbox writes only what a consumer wants: an outgoing integration listens to every event.
    for (const event of DOMAIN_EVENTS) {
      // The sendMessage listener takes edits too: its deliveries show each event, edits included.
      const extra = event === 'userCreated' ? { targetRoom: '#general' } : { channel: 'all_public_channels', ...(event === 'sendMessage' ? { runOnEdits: true } : {}) };
      listeners[event] = (await createIntegration(admin, outgoingBody({ name: `listens to ${event}`, event, urls: [`${sink.url}/${event}`], ...extra })))._id;
    }
    outbox = await watchOutbox(t);
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });
  beforeEach(async () => outbox.reset());

  const names = (events: RecordedEvent[]) => events.map((e) => e.event);
  /** The bodies the sendMessage listener has received. */
  const sent = () => sink.at('/sendMessage').map((r) => r.json as Record<string, unknown>);

  it('userCreated: once per users.create, with the user and no secrets; none when refused', async () => {
    const res = await admin
      .post('/api/v1/users.create', { username: 'evented', name: 'Ev', email: 'ev@example.com', password: 'pw-secret' })
      .expect(200);
    const events = await outbox.since();
    expect(names(events)).toEqual(['userCreated']);
    expect(events[0].payload.user).toMatchObject({ _id: res.body.user._id, username: 'evented', name: 'Ev', roles: ['user'], type: 'user' });
    expect(JSON.stringify(events[0].payload)).not.toMatch(/pw-secret|ev@example.com|password/);
    await outbox.reset();
    await admin.post('/api/v1/users.create', { username: 'EVENTED', name: 'x', email: 'x@example.com', password: 'pw' }).expect(400);
    expect(await outbox.since()).toEqual([]);
  });

  it('roomCreated: once per channel, group or team, with owner and room, not roomJoined for initial members', async () => {
    const bob = await createUser(t, admin);
    await outbox.reset();
    const res = await admin.post('/api/v1/channels.create', { name: 'ev-created', members: [bob.username] }).expect(200);
    const events = await outbox.since();
    expect(names(events)).toEqual(['roomCreated']);
    expect(events[0].payload.room).toMatchObject({ _id: res.body.channel._id, name: 'ev-created', t: 'c' });
    expect(events[0].payload.owner).toMatchObject({ _id: admin.userId, username: 'rocketchat.internal.admin.test' });

    await outbox.reset();
    await admin.post('/api/v1/groups.create', { name: 'ev-group' }).expect(200);
    await admin.post('/api/v1/teams.create', { name: 'ev-team', type: 0 }).expect(200);
    expect(names(await outbox.since())).toEqual(['roomCreated', 'roomCreated']);

    await outbox.reset();
    await admin.post('/api/v1/channels.create', { name: 'ev-created' }).expect(400);
    await admin.post('/api/v1/im.create', { username: bob.username }).expect(200);
    expect(await outbox.since()).toEqual([]);
  });

  it('roomJoined: once per channels.join, invite and auto-join; none when already a member', async () => {
    const bob = await createUser(t, admin);
    const carol = await createUser(t, admin);
    const room = (await admin.post('/api/v1/channels.create', { name: 'ev-joined' }).expect(200)).body.channel;
    await outbox.reset();
    await bob.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
    await bob.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
    let events = await outbox.since();
    expect(names(events)).toEqual(['roomJoined']);
    expect(events[0].payload).toMatchObject({ room: { _id: room._id, name: 'ev-joined' }, user: { _id: bob.userId, username: bob.username } });

    await outbox.reset();
    await admin.post('/api/v1/channels.invite', { roomId: room._id, userId: carol.userId }).expect(200);
    events = await outbox.since();
    expect(names(events)).toEqual(['roomJoined']);
    expect(events[0].payload.user._id).toBe(carol.userId);

    const dave = await createUser(t, admin);
    await outbox.reset();
    await dave.post('/api/v1/chat.postMessage', { channel: '#ev-joined', text: 'hello' }).expect(200);
    expect(names(await outbox.since()).filter((name) => name !== 'sendMessage')).toEqual(['roomJoined']);
    await eventually(async () => sent().filter((body) => body.text === 'hello').length, (n) => n === 1);
  });

  it('roomLeft: once per leave or kick; none when refused', async () => {
    const bob = await createUser(t, admin);
    const carol = await createUser(t, admin);
    const room = (await admin.post('/api/v1/channels.create', { name: 'ev-left', members: [bob.username, carol.username] }).expect(200)).body
      .channel;
    await outbox.reset();
    await bob.post('/api/v1/channels.leave', { roomId: room._id }).expect(200);
    await admin.post('/api/v1/channels.kick', { roomId: room._id, userId: carol.userId }).expect(200);
    const events = await outbox.since();
    expect(names(events)).toEqual(['roomLeft', 'roomLeft']);
    expect(events.map((e) => e.payload.user._id)).toEqual([bob.userId, carol.userId]);
    expect(events[0].payload.room._id).toBe(room._id);
    await outbox.reset();
    await bob.post('/api/v1/channels.leave', { roomId: room._id }).expect(400);
    await carol.post('/api/v1/channels.kick', { roomId: room._id, userId: admin.userId }).expect(400);
    expect(await outbox.since()).toEqual([]);
  });

  it('roomArchived: once, with the archived room and who did it; none when refused', async () => {
    const bob = await createUser(t, admin);
    const room = (await admin.post('/api/v1/channels.create', { name: 'ev-archived', members: [bob.username] }).expect(200)).body.channel;
    await outbox.reset();
    await bob.post('/api/v1/channels.archive', { roomId: room._id }).expect(400);
    expect(await outbox.since()).toEqual([]);
    await admin.post('/api/v1/channels.archive', { roomId: room._id }).expect(200);
    await admin.post('/api/v1/channels.archive', { roomId: room._id }).expect(400);
    const events = await outbox.since();
    expect(names(events)).toEqual(['roomArchived']);
    expect(events[0].payload).toMatchObject({ room: { _id: room._id, archived: true }, user: { _id: admin.userId } });
  });

  // A message's event goes through the outbox, or, when its process knows the listeners, straight
  // into their deliveries in the post's own statement: what the listener receives shows it either way.
  it('sendMessage: once per new or edited message, with message and room; none when refused', async () => {
    const seen = sent().length;
    const posted = await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'evented message' }).expect(200);
    const [first] = await eventually(async () => sent().slice(seen), (bodies) => bodies.length >= 1);
    expect(first).toMatchObject({ message_id: posted.body.message._id, text: 'evented message', user_id: admin.userId, channel_id: 'GENERAL', channel_name: 'general' });
    expect(first.isEdited).toBeUndefined();

    await admin.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId: posted.body.message._id, text: 'edited' }).expect(200);
    const [, edited] = await eventually(async () => sent().slice(seen), (bodies) => bodies.length >= 2);
    expect(edited).toMatchObject({ message_id: posted.body.message._id, text: 'edited', isEdited: true });

    const bob = await createUser(t, admin);
    const group = (await admin.post('/api/v1/groups.create', { name: 'ev-private' }).expect(200)).body.group;
    await outbox.reset();
    await bob.post('/api/v1/chat.postMessage', { roomId: group._id, text: 'x' }).expect(400);
    await bob.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId: posted.body.message._id, text: 'x' }).expect(400);
    await admin.post('/api/v1/chat.delete', { roomId: 'GENERAL', msgId: posted.body.message._id }).expect(200);
    await settle(500);
    expect(await outbox.since()).toEqual([]);
    expect(sent().slice(seen)).toHaveLength(2);
  });

  it('fileUploaded: once per upload with user, room and the file message (which is also a sendMessage)', async () => {
    const res = await admin
      .post('/api/v1/rooms.upload/GENERAL')
      .attach('file', Buffer.from('hello'), { filename: 'hello.txt', contentType: 'text/plain' })
      .expect(200);
    const events = await outbox.since();
    expect(names(events)).toEqual(['sendMessage', 'fileUploaded']);
    const uploaded = events[1].payload;
    expect(uploaded.user).toMatchObject({ _id: admin.userId });
    expect(uploaded.room).toMatchObject({ _id: 'GENERAL' });
    expect(uploaded.message).toMatchObject({ _id: res.body.message._id, file: { name: 'hello.txt', type: 'text/plain', size: 5 } });
    await outbox.reset();
    await admin.post('/api/v1/rooms.upload/nope').attach('file', Buffer.from('x'), { filename: 'x.txt' }).expect(400);
    expect(await outbox.since()).toEqual([]);
  });

  it('an event no integration listens to is not written, and its change still is', async () => {
    await admin.post('/api/v1/integrations.remove', { type: 'webhook-outgoing', integrationId: listeners.sendMessage }).expect(200);
    // Until this process has heard of the removal, the event is still written (unknown interest counts as wanted).
    await eventually(
      async () => {
        await outbox.reset();
        await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'probe' }).expect(200);
        return outbox.since();
      },
      (events) => events.length === 0,
    );
    await outbox.reset();
    const posted = await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'nobody listens' }).expect(200);
    expect(await outbox.since()).toEqual([]);
    const latest = await admin.get('/api/v1/channels.history?roomId=GENERAL&count=1').expect(200);
    expect(latest.body.messages[0]).toMatchObject({ _id: posted.body.message._id, msg: 'nobody listens' });
    // Another event with a listener is still written.
    await admin.post('/api/v1/channels.create', { name: 'ev-still-listened' }).expect(200);
    expect(names(await outbox.since())).toEqual(['roomCreated']);
  });

  it('an event in a room where nobody listens is not written, once the room\'s listeners are known', async () => {
    await createIntegration(admin, outgoingBody({ name: 'listens to #general only', event: 'sendMessage', channel: '#general', urls: [`${sink.url}/general-only`] }));
    const elsewhere = (await admin.post('/api/v1/channels.create', { name: 'ev-nobody-listens' }).expect(200)).body.channel;
    // The first events of the room are written (its listeners are not looked up yet); the dispatcher then looks them up.
    await eventually(
      async () => {
        await outbox.reset();
        await admin.post('/api/v1/chat.postMessage', { roomId: elsewhere._id, text: 'probe' }).expect(200);
        return outbox.since();
      },
      (events) => events.length === 0,
    );
    await outbox.reset();
    await admin.post('/api/v1/chat.postMessage', { roomId: elsewhere._id, text: 'unheard' }).expect(200);
    await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'heard' }).expect(200);
    // 'heard' may go through the outbox or straight to its delivery; 'unheard' is written nowhere.
    const events = await outbox.since();
    expect(events.map((e) => e.payload.message.msg)).not.toContain('unheard');
    await eventually(async () => sink.at('/general-only').map((r) => r.json.text as string), (texts) => texts.includes('heard'));
  });
});
