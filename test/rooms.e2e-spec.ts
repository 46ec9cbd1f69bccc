import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const notFound = (noun: 'channel' | 'group') => ({
  success: false,
  error: `The required "roomId" or "roomName" param provided does not match any ${noun} [error-room-not-found]`,
  errorType: 'error-room-not-found',
});

describe(`rooms (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  describe('#general', () => {
    it('exists on a fresh server with _id GENERAL, and new users are in it', async () => {
      const info = await admin.get('/api/v1/channels.info', { roomId: 'GENERAL' }).expect(200);
      expect(info.body.channel).toMatchObject({ _id: 'GENERAL', name: 'general', t: 'c', default: true });
      const bob = await createUser(t, admin);
      const members = await admin.get('/api/v1/channels.members', { roomId: 'GENERAL', count: 100 }).expect(200);
      const ids = members.body.members.map((m: { _id: string }) => m._id);
      expect(ids).toEqual(expect.arrayContaining([admin.userId, 'rocket.cat', bob.userId]));
    });

    it('channels.messages works for the admin on a fresh server', async () => {
      const res = await admin.get('/api/v1/channels.messages', { roomId: 'GENERAL' }).expect(200);
      expect(res.body).toMatchObject({ messages: expect.any(Array), offset: 0, success: true });
    });

    it('cannot be deleted', async () => {
      const res = await admin.post('/api/v1/channels.delete', { roomId: 'GENERAL' }).expect(400);
      expect(res.body.errorType).toBe('error-action-not-allowed');
    });
  });

  describe('channels.create / groups.create', () => {
    it('creates a channel owned by the caller, with members', async () => {
      const bob = await createUser(t, admin);
      const res = await admin.post('/api/v1/channels.create', { name: 'dev-talk', members: [bob.username, 'nobody.at.all'] }).expect(200);
      expect(res.body).toEqual({
        success: true,
        channel: {
          _id: expect.any(String),
          t: 'c',
          name: 'dev-talk',
          fname: 'dev-talk',
          u: { _id: admin.userId, username: 'rocketchat.internal.admin.test' },
          ro: false,
          ts: expect.any(String),
          _updatedAt: expect.any(String),
        },
      });
      const members = await bob.get('/api/v1/channels.members', { roomId: res.body.channel._id }).expect(200);
      expect(members.body.total).toBe(2);
    });

    it('creates a private group visible only to its members', async () => {
      const bob = await createUser(t, admin);
      const carol = await createUser(t, admin);
      const res = await bob.post('/api/v1/groups.create', { name: 'secret-plans', readOnly: true }).expect(200);
      expect(res.body.group).toMatchObject({ t: 'p', name: 'secret-plans', ro: true });
      const id = res.body.group._id;
      await bob.get('/api/v1/groups.info', { roomId: id }).expect(200);
      expect((await carol.get('/api/v1/groups.info', { roomId: id }).expect(400)).body).toEqual(notFound('group'));
      expect((await carol.get('/api/v1/groups.messages', { roomId: id }).expect(400)).body).toEqual(notFound('group'));
      const list = await bob.get('/api/v1/groups.list').expect(200);
      expect(list.body.groups.map((g: { _id: string }) => g._id)).toContain(id);
      expect((await carol.get('/api/v1/groups.list').expect(200)).body.groups).toEqual([]);
      // A group is not a channel.
      expect((await bob.get('/api/v1/channels.info', { roomId: id }).expect(400)).body).toEqual(notFound('channel'));
    });

    it('refuses duplicate and invalid names, unknown teams, and users without create-c/create-p', async () => {
      await admin.post('/api/v1/channels.create', { name: 'unique-name' }).expect(200);
      const dup = await admin.post('/api/v1/groups.create', { name: 'UNIQUE-NAME' }).expect(400);
      expect(dup.body).toMatchObject({ error: "A channel with name 'UNIQUE-NAME' exists [error-duplicate-channel-name]" });
      const bad = await admin.post('/api/v1/channels.create', { name: 'no spaces' }).expect(400);
      expect(bad.body.errorType).toBe('error-invalid-room-name');
      const team = await admin.post('/api/v1/channels.create', { name: 'teamless', extraData: { teamId: 'nope' } }).expect(400);
      expect(team.body.errorType).toBe('error-team-not-found');
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-c', roles: ['admin'] }] }).expect(200);
      const bob = await createUser(t, admin);
      expect((await bob.post('/api/v1/channels.create', { name: 'bobs' }).expect(403)).body).toEqual(FORBIDDEN);
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-c', roles: ['admin', 'user', 'bot'] }] }).expect(200);
      await bob.post('/api/v1/channels.create', { name: 'bobs' }).expect(200);
    });

    it('answers bad bodies with invalid-params', async () => {
      const cases: [unknown, string][] = [
        [{}, "must have required property 'name'"],
        [{ name: 7 }, '/name must be string'],
        [{ name: 'x', members: 'bob' }, '/members must be array'],
        [{ name: 'x', readOnly: 'yes' }, '/readOnly must be boolean'],
        [{ name: 'x', extraData: { teamId: 5 } }, '/teamId must be string'],
        [{ name: 'x', owner: 'me' }, 'must NOT have additional properties'],
      ];
      for (const [body, error] of cases) {
        const res = await admin.post('/api/v1/channels.create', body).expect(400);
        expect(res.body).toEqual({ success: false, error: `${error} [invalid-params]`, errorType: 'invalid-params' });
      }
    });
  });

  describe('membership', () => {
    it('joins and leaves a public channel; cannot join a group by channels.join', async () => {
      const bob = await createUser(t, admin);
      const room = (await admin.post('/api/v1/channels.create', { name: 'joinable' }).expect(200)).body.channel;
      const joined = await bob.post('/api/v1/channels.join', { roomId: room._id }).expect(200);
      expect(joined.body.channel._id).toBe(room._id);
      await bob.post('/api/v1/channels.leave', { roomId: room._id }).expect(200);
      const again = await bob.post('/api/v1/channels.leave', { roomId: room._id }).expect(400);
      expect(again.body.errorType).toBe('error-user-not-in-room');
      const group = (await admin.post('/api/v1/groups.create', { name: 'closed-door' }).expect(200)).body.group;
      expect((await bob.post('/api/v1/channels.join', { roomId: group._id }).expect(400)).body).toEqual(notFound('channel'));
    });

    it('invites and kicks with the right permissions only', async () => {
      const owner = await createUser(t, admin);
      const bob = await createUser(t, admin);
      const carol = await createUser(t, admin);
      const group = (await owner.post('/api/v1/groups.create', { name: 'owners-club', members: [bob.username] }).expect(200)).body.group;
      // A plain member may not add people; the owner may.
      expect((await bob.post('/api/v1/groups.invite', { roomId: group._id, userId: carol.userId }).expect(400)).body.errorType).toBe(
        'error-not-allowed',
      );
      await owner.post('/api/v1/groups.invite', { roomId: group._id, userId: carol.userId }).expect(200);
      await carol.get('/api/v1/groups.info', { roomId: group._id }).expect(200);
      expect((await bob.post('/api/v1/groups.kick', { roomId: group._id, username: carol.username }).expect(400)).body.errorType).toBe(
        'error-not-allowed',
      );
      await owner.post('/api/v1/groups.kick', { roomId: group._id, username: carol.username }).expect(200);
      await carol.get('/api/v1/groups.info', { roomId: group._id }).expect(400);
      const missing = await owner.post('/api/v1/groups.kick', { roomId: group._id, userId: carol.userId }).expect(400);
      expect(missing.body.errorType).toBe('error-user-not-in-room');
      await owner.post('/api/v1/groups.invite', { roomId: group._id, userId: 'ghost' }).expect(400);
      await owner.post('/api/v1/groups.invite', { roomId: group._id }).expect(400);
    });

    it('keeps the last owner from leaving a room with other members', async () => {
      const owner = await createUser(t, admin);
      const bob = await createUser(t, admin);
      const room = (await owner.post('/api/v1/channels.create', { name: 'sticky', members: [bob.username] }).expect(200)).body.channel;
      const res = await owner.post('/api/v1/channels.leave', { roomId: room._id }).expect(400);
      expect(res.body.errorType).toBe('error-you-are-last-owner');
    });
  });

  describe('archive and delete', () => {
    it('lets owners archive and admins unarchive; others are refused', async () => {
      const owner = await createUser(t, admin);
      const bob = await createUser(t, admin);
      const room = (await owner.post('/api/v1/channels.create', { name: 'old-news', members: [bob.username] }).expect(200)).body.channel;
      expect((await bob.post('/api/v1/channels.archive', { roomId: room._id }).expect(400)).body.errorType).toBe('error-not-authorized');
      await owner.post('/api/v1/channels.archive', { roomId: room._id }).expect(200);
      const info = await owner.get('/api/v1/channels.info', { roomId: room._id }).expect(200);
      expect(info.body.channel.archived).toBe(true);
      expect((await owner.post('/api/v1/channels.archive', { roomId: room._id }).expect(400)).body.errorType).toBe('error-room-archived');
      await admin.post('/api/v1/channels.unarchive', { roomId: room._id }).expect(200);
    });

    it('lets the owner delete a room by name, and refuses others', async () => {
      const owner = await createUser(t, admin);
      const bob = await createUser(t, admin);
      await owner.post('/api/v1/groups.create', { name: 'short-lived', members: [bob.username] }).expect(200);
      expect((await bob.post('/api/v1/groups.delete', { roomName: 'short-lived' }).expect(400)).body.errorType).toBe('error-not-authorized');
      await owner.post('/api/v1/groups.delete', { roomName: 'short-lived' }).expect(200);
      expect((await owner.get('/api/v1/groups.info', { roomName: 'short-lived' }).expect(400)).body).toEqual(notFound('group'));
    });

    it('answers unknown rooms and missing references clearly', async () => {
      expect((await admin.post('/api/v1/channels.delete', { roomId: 'nope' }).expect(400)).body).toEqual(notFound('channel'));
      const neither = await admin.post('/api/v1/channels.archive', {}).expect(400);
      expect(neither.body.error).toBe(
        "must have required property 'roomId'\n must have required property 'roomName'\n must match exactly one schema in oneOf [invalid-params]",
      );
      await admin.post('/api/v1/channels.archive', { roomId: 5 }).expect(400);
    });
  });

  describe('listing and info', () => {
    it('lists public channels with pagination and totals', async () => {
      const res = await admin.get('/api/v1/channels.list', { count: 2 }).expect(200);
      expect(res.body).toMatchObject({ count: 2, offset: 0, success: true });
      expect(res.body.total).toBeGreaterThan(2);
      expect(res.body.channels.every((c: { t: string }) => c.t === 'c')).toBe(true);
    });

    it('rooms.info shows public channels and the caller’s own rooms only', async () => {
      const bob = await createUser(t, admin);
      await bob.get('/api/v1/rooms.info', { roomId: 'GENERAL' }).expect(200);
      await bob.get('/api/v1/rooms.info', { roomName: 'general' }).expect(200);
      const group = (await admin.post('/api/v1/groups.create', { name: 'admins-only' }).expect(200)).body.group;
      await admin.get('/api/v1/rooms.info', { roomId: group._id }).expect(200);
      await bob.get('/api/v1/rooms.info', { roomId: group._id }).expect(400);
      await bob.get('/api/v1/rooms.info', { roomId: 'missing' }).expect(400);
    });
  });

  describe('im.create', () => {
    it('opens one direct-message room per pair, in either direction', async () => {
      const bob = await createUser(t, admin);
      const carol = await createUser(t, admin);
      const first = await bob.post('/api/v1/im.create', { username: carol.username }).expect(200);
      expect(first.body.room).toMatchObject({ t: 'd', uids: [bob.userId, carol.userId].sort(), rid: first.body.room._id });
      expect(first.body.room.usernames).toHaveLength(2);
      const second = await carol.post('/api/v1/im.create', { username: bob.username }).expect(200);
      expect(second.body.room._id).toBe(first.body.room._id);
      const dave = await createUser(t, admin);
      await dave.get('/api/v1/rooms.info', { roomId: first.body.room._id }).expect(400);
    });

    it('refuses unknown users and bad bodies', async () => {
      expect((await admin.post('/api/v1/im.create', { username: 'ghost' }).expect(400)).body.errorType).toBe('error-invalid-user');
      await admin.post('/api/v1/im.create', {}).expect(400);
      await admin.post('/api/v1/im.create', { username: ['a'] }).expect(400);
    });
  });
});
