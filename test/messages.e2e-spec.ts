import { MessagePoster } from '../src/messages/message-poster';
import { UsersService } from '../src/users/users.service';
import { User } from '../src/users/entities/user.entity';
import { Client, createUser, loginAsAdmin } from './support/api';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`messages (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ uploadLimit: 64 * 1024 });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const messagesIn = async (client: Client, roomId: string, family: 'channels' | 'groups' = 'channels') =>
    (await client.get(`/api/v1/${family}.messages`, { roomId }).expect(200)).body.messages as Record<string, any>[];

  describe('chat.postMessage', () => {
    it('posts to #general by name and reads back newest first', async () => {
      const first = await admin.post('/api/v1/chat.postMessage', { channel: '#general', text: 'first' }).expect(200);
      expect(first.body).toEqual({
        ts: expect.any(Number),
        channel: '#general',
        message: expect.objectContaining({
          _id: expect.any(String),
          rid: 'GENERAL',
          msg: 'first',
          u: { _id: admin.userId, username: 'rocketchat.internal.admin.test', name: 'rocketchat.internal.admin.test' },
          groupable: false,
          parseUrls: true,
        }),
        success: true,
      });
      await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'second' }).expect(200);
      const msgs = await messagesIn(admin, 'GENERAL');
      expect(msgs.slice(0, 2).map((m) => m.msg)).toEqual(['second', 'first']);
    });

    it('joins the poster to a public channel automatically', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'auto-join' }).expect(200)).body.channel;
      const bob = await createUser(t, admin);
      await bob.post('/api/v1/chat.postMessage', { channel: '#auto-join', text: 'hi' }).expect(200);
      const members = await admin.get('/api/v1/channels.members', { roomId: room._id }).expect(200);
      expect(members.body.members.map((m: { _id: string }) => m._id)).toContain(bob.userId);
    });

    it('opens a direct message for @username', async () => {
      const bob = await createUser(t, admin);
      const res = await admin.post('/api/v1/chat.postMessage', { channel: `@${bob.username}`, text: 'psst' }).expect(200);
      const rid = res.body.message.rid;
      const info = await bob.get('/api/v1/rooms.info', { roomId: rid }).expect(200);
      expect(info.body.room.t).toBe('d');
    });

    it('keeps attachments and their fields, and turns an attachment msg into text', async () => {
      const attachments = [{ title: 'Build', color: '#f00', msg: '  failed  ', fields: [{ title: 'branch', value: 'main', short: true }] }];
      const res = await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: '', attachments }).expect(200);
      expect(res.body.message.attachments).toEqual([{ title: 'Build', color: '#f00', text: 'failed', fields: attachments[0].fields }]);
      expect(res.body.message.parseUrls).toBe(false);
    });

    it('refuses a non-member posting into a private group, archived and read-only rooms', async () => {
      const bob = await createUser(t, admin);
      const group = (await admin.post('/api/v1/groups.create', { name: 'inner-circle' }).expect(200)).body.group;
      const res = await bob.post('/api/v1/chat.postMessage', { roomId: group._id, text: 'let me in' }).expect(400);
      expect(res.body).toMatchObject({ error: 'Not allowed [error-not-allowed]', errorType: 'error-not-allowed' });
      expect(await messagesIn(admin, group._id, 'groups')).toEqual([]);

      const archived = (await admin.post('/api/v1/channels.create', { name: 'archived-room', members: [bob.username] }).expect(200)).body.channel;
      await admin.post('/api/v1/channels.archive', { roomId: archived._id }).expect(200);
      expect((await bob.post('/api/v1/chat.postMessage', { roomId: archived._id, text: 'x' }).expect(400)).body.errorType).toBe(
        'error-room-archived',
      );

      const announcements = (await admin.post('/api/v1/channels.create', { name: 'announcements', readOnly: true, members: [bob.username] }).expect(200))
        .body.channel;
      expect((await bob.post('/api/v1/chat.postMessage', { roomId: announcements._id, text: 'x' }).expect(400)).body.errorType).toBe(
        'error-action-not-allowed',
      );
      await admin.post('/api/v1/chat.postMessage', { roomId: announcements._id, text: 'owners may' }).expect(200);
    });

    it('refuses unknown targets, empty messages and impersonation without message-impersonate', async () => {
      const bob = await createUser(t, admin);
      const unknown = await admin.post('/api/v1/chat.postMessage', { channel: '#no-such-room', text: 'x' }).expect(400);
      expect(unknown.body).toEqual({ success: false, error: '[invalid-channel]', errorType: 'invalid-channel' });
      await admin.post('/api/v1/chat.postMessage', { channel: '@ghost', text: 'x' }).expect(400);
      expect((await admin.post('/api/v1/chat.postMessage', { roomId: 'GENERAL' }).expect(400)).body.errorType).toBe('error-invalid-message');
      const alias = await bob.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'x', alias: 'The Boss' }).expect(400);
      expect(alias.body.errorType).toBe('error-not-allowed');
    });

    it('answers bad bodies with invalid-params', async () => {
      const cases: [unknown, string][] = [
        [{ text: 'x' }, "must have required property 'roomId'\n must have required property 'channel'\n must match exactly one schema in oneOf"],
        [{ roomId: 5, text: 'x' }, '/roomId must be a non-empty string or array of strings'],
        [{ roomId: 'GENERAL', text: 5 }, '/text must be string'],
        [{ roomId: 'GENERAL', attachments: 'x' }, '/attachments must be array'],
        [{ roomId: 'GENERAL', attachments: ['x'] }, '/attachments/* must be object'],
        [{ roomId: 'GENERAL', text: 'x', bot: { i: 'fake' } }, 'must NOT have additional properties'],
      ];
      for (const [body, error] of cases) {
        const res = await admin.post('/api/v1/chat.postMessage', body).expect(400);
        expect(res.body).toEqual({ success: false, error: `${error} [invalid-params]`, errorType: 'invalid-params' });
      }
    });
  });

  describe('chat.sendMessage, chat.update, chat.delete', () => {
    it('sends by rid with a client-chosen id, threads, and refuses a duplicate id', async () => {
      const parent = await admin.post('/api/v1/chat.sendMessage', { message: { rid: 'GENERAL', msg: 'parent', _id: 'client-chosen-id-1' } }).expect(200);
      expect(parent.body.message).toMatchObject({ _id: 'client-chosen-id-1', rid: 'GENERAL', msg: 'parent' });
      const reply = await admin.post('/api/v1/chat.sendMessage', { message: { rid: 'GENERAL', msg: 'reply', tmid: 'client-chosen-id-1' } }).expect(200);
      expect(reply.body.message.tmid).toBe('client-chosen-id-1');
      const dup = await admin.post('/api/v1/chat.sendMessage', { message: { rid: 'GENERAL', msg: 'again', _id: 'client-chosen-id-1' } }).expect(400);
      expect(dup.body.errorType).toBe('error-duplicated-message');
      const badThread = await admin.post('/api/v1/chat.sendMessage', { message: { rid: 'GENERAL', msg: 'x', tmid: 'nope' } }).expect(400);
      expect(badThread.body.errorType).toBe('error-invalid-tmid');
      expect((await admin.post('/api/v1/chat.sendMessage', { message: { rid: 'nope', msg: 'x' } }).expect(400)).body.errorType).toBe(
        'error-invalid-room',
      );
      expect((await admin.post('/api/v1/chat.sendMessage', { message: { msg: 'x' } }).expect(400)).body.error).toBe(
        "must have required property 'rid' [invalid-params]",
      );
      await admin.post('/api/v1/chat.sendMessage', {}).expect(400);
    });

    it('lets the author edit (setting editedAt) and delete; others are refused', async () => {
      const bob = await createUser(t, admin);
      const carol = await createUser(t, admin);
      const posted = await bob.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'typo' }).expect(200);
      const msgId = posted.body.message._id;
      expect((await carol.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId, text: 'hijack' }).expect(400)).body.errorType).toBe(
        'error-action-not-allowed',
      );
      const edited = await bob.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId, text: 'fixed' }).expect(200);
      expect(edited.body.message).toMatchObject({ msg: 'fixed', editedAt: expect.any(String), editedBy: { _id: bob.userId, username: bob.username } });
      expect((await carol.post('/api/v1/chat.delete', { roomId: 'GENERAL', msgId }).expect(400)).body.errorType).toBe('error-action-not-allowed');
      const deleted = await bob.post('/api/v1/chat.delete', { roomId: 'GENERAL', msgId }).expect(200);
      expect(deleted.body).toMatchObject({ _id: msgId, message: { _id: msgId, rid: 'GENERAL' }, success: true });
      expect((await messagesIn(admin, 'GENERAL')).some((m) => m._id === msgId)).toBe(false);
      const gone = await bob.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId, text: 'x' }).expect(400);
      expect(gone.body).toEqual({ success: false, error: `No message found with the id of "${msgId}".` });
    });

    it('lets moderators of the room (admins here) edit and delete others’ messages', async () => {
      const bob = await createUser(t, admin);
      const msgId = (await bob.post('/api/v1/chat.postMessage', { roomId: 'GENERAL', text: 'spam' }).expect(200)).body.message._id;
      await admin.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId, text: '[removed]' }).expect(200);
      await admin.post('/api/v1/chat.delete', { roomId: 'GENERAL', msgId }).expect(200);
    });

    it('refuses a message id from another room, and bad bodies', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'elsewhere' }).expect(200)).body.channel;
      const msgId = (await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text: 'here' }).expect(200)).body.message._id;
      const wrong = await admin.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId, text: 'x' }).expect(400);
      expect(wrong.body.error).toBe('The room id provided does not match where the message is from.');
      expect((await admin.post('/api/v1/chat.update', { roomId: 'GENERAL', msgId }).expect(400)).body.error).toBe(
        "must have required property 'text' [invalid-params]",
      );
      await admin.post('/api/v1/chat.delete', { roomId: 'GENERAL' }).expect(400);
    });
  });

  describe('history', () => {
    it('pages channels.messages and bounds channels.history', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'paged' }).expect(200)).body.channel;
      for (const text of ['one', 'two', 'three']) await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text }).expect(200);
      const page = await admin.get('/api/v1/channels.messages', { roomId: room._id, count: 2, offset: 1 }).expect(200);
      expect(page.body).toMatchObject({ count: 2, offset: 1, total: 3 });
      expect(page.body.messages.map((m: { msg: string }) => m.msg)).toEqual(['two', 'one']);
      const all = await admin.get('/api/v1/channels.history', { roomId: room._id }).expect(200);
      const newest = all.body.messages[0].ts;
      const older = await admin.get('/api/v1/channels.history', { roomId: room._id, latest: new Date(Date.parse(newest) - 1).toISOString() }).expect(200);
      expect(older.body.messages.map((m: { msg: string }) => m.msg)).not.toContain('three');
      await admin.get('/api/v1/channels.history', { roomId: room._id, latest: 'soon' }).expect(400);
      await admin.get('/api/v1/channels.messages').expect(400);
      await admin.get('/api/v1/channels.messages', { roomId: 'nope' }).expect(400);
    });
  });

  describe('the posting function (MessagePoster)', () => {
    let poster: MessagePoster;
    let cat: User;
    beforeAll(async () => {
      poster = t.app.get(MessagePoster);
      cat = (await t.app.get(UsersService).findByUsername('rocket.cat')) as User;
    });

    it('resolves #name, #id, bare names, bare ids, @user and user ids, in order', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'targets' }).expect(200)).body.channel;
      const results = await poster.post(
        cat,
        { channel: ['#targets', `#${room._id}`, 'targets', room._id, `@${'rocketchat.internal.admin.test'}`, admin.userId], text: 'hello' },
        {},
      );
      // De-duplication is by the target string, so six different strings post six times.
      expect(results.map((r) => r.channel)).toEqual(['#targets', `#${room._id}`, 'targets', room._id, '@rocketchat.internal.admin.test', admin.userId]);
      const rids = results.map((r) => r.message.rid);
      expect(rids.slice(0, 4)).toEqual([room._id, room._id, room._id, room._id]);
      expect(rids[4]).toBe(['rocket.cat', admin.userId].sort().join(''));
      expect(rids[5]).toBe(rids[4]);
    });

    it('applies the integration defaults and Slack-style field names with Rocket.Chat’s precedence', async () => {
      const [{ message }] = await poster.post(
        cat,
        { text: '  padded  ', username: 'Grafana', icon_emoji: ':fire:', bot: { i: 'integration-1' } },
        { channel: '#general', alias: 'Default alias', avatar: 'https://example.com/a.png' },
      );
      expect(message).toMatchObject({ msg: 'padded', alias: 'Grafana', emoji: ':fire:', bot: { i: 'integration-1' }, parseUrls: true });
      expect(message.avatar).toBeUndefined();
      const [{ message: withDefaults }] = await poster.post(cat, { msg: 'x' }, { channel: ['#general'], alias: 'Hook', avatar: 'https://example.com/a.png', emoji: ':ghost:' });
      expect(withDefaults).toMatchObject({ alias: 'Hook', avatar: 'https://example.com/a.png' });
      expect(withDefaults.emoji).toBeUndefined();
    });

    it('stops at the first target that fails', async () => {
      const group = (await admin.post('/api/v1/groups.create', { name: 'cat-free' }).expect(200)).body.group;
      const before = (await messagesIn(admin, 'GENERAL')).length;
      await expect(poster.post(cat, { channel: [`#${group._id}`, '#general'], text: 'x' })).rejects.toMatchObject({
        body: { errorType: 'error-not-allowed' },
      });
      expect((await messagesIn(admin, 'GENERAL')).length).toBe(before);
    });
  });

  describe('rooms.upload', () => {
    it('stores a file as a message with file and attachments', async () => {
      const res = await admin
        .post('/api/v1/rooms.upload/GENERAL')
        .field('msg', 'the report')
        .field('description', 'Q3 numbers')
        .attach('file', Buffer.from('a,b\n1,2\n'), { filename: 'report.csv', contentType: 'text/csv' })
        .expect(200);
      expect(res.body.message).toMatchObject({
        rid: 'GENERAL',
        msg: 'the report',
        file: { _id: expect.any(String), name: 'report.csv', type: 'text/csv', size: 8 },
        attachments: [expect.objectContaining({ type: 'file', title: 'report.csv', description: 'Q3 numbers' })],
      });
    });

    it('serves the file at its title_link to users who can see the room, and to no one else', async () => {
      const group = (await admin.post('/api/v1/groups.create', { name: 'files-inside' }).expect(200)).body.group;
      const content = Buffer.from('secret,report\n1,2\n');
      const res = await admin.post(`/api/v1/rooms.upload/${group._id}`).attach('file', content, { filename: 'q3 report.csv', contentType: 'text/csv' }).expect(200);
      const link: string = res.body.message.attachments[0].title_link;
      const download = await admin.get(link).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(download.headers['content-type']).toMatch(/^text\/csv/);
      expect(download.headers['content-disposition']).toBe("attachment; filename*=UTF-8''q3%20report.csv");
      expect(Buffer.compare(download.body as Buffer, content)).toBe(0);
      const outsider = await createUser(t, admin);
      expect((await outsider.get(link).expect(404)).body).toEqual({ success: false, error: 'File not found' });
      await t.http.get(link).expect(401);
      await admin.get('/file-upload/nope/x.txt').expect(404);
    });

    it('refuses a file over UPLOAD_LIMIT with 413, a missing file, a non-multipart body and other people’s groups', async () => {
      const big = await admin
        .post('/api/v1/rooms.upload/GENERAL')
        .attach('file', Buffer.alloc(70 * 1024), { filename: 'big.bin' })
        .expect(413);
      expect(big.body).toMatchObject({ success: false, errorType: 'error-file-too-large' });
      const none = await admin.post('/api/v1/rooms.upload/GENERAL').field('msg', 'no file').expect(400);
      expect(none.body.errorType).toBe('error-invalid-file');
      const json = await admin.post('/api/v1/rooms.upload/GENERAL', { file: 'x' }).expect(400);
      expect(json.body.errorType).toBe('error-invalid-content-type');
      const bob = await createUser(t, admin);
      const group = (await admin.post('/api/v1/groups.create', { name: 'no-uploads-for-bob' }).expect(200)).body.group;
      await bob.post(`/api/v1/rooms.upload/${group._id}`).attach('file', Buffer.from('x'), { filename: 'x.txt' }).expect(400);
      await admin.get('/health').expect(200);
    });
  });
});
