import { DataSource } from 'typeorm';
import { Client, createUser, FORBIDDEN, loginAsAdmin, TEST_ADMIN, UNAUTHENTICATED } from './support/api';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`users (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const newUser = (username: string, extra: Record<string, unknown> = {}) => ({
    username,
    name: `Name of ${username}`,
    email: `${username}@example.com`,
    password: 'secret-1',
    ...extra,
  });

  describe('users.create', () => {
    it('creates a user with role user by default and returns it without secrets', async () => {
      const res = await admin.post('/api/v1/users.create', newUser('alice')).expect(200);
      expect(res.body).toEqual({
        success: true,
        user: {
          _id: expect.stringMatching(/^[23456789A-HJ-NP-Za-km-z]{17}$/),
          username: 'alice',
          name: 'Name of alice',
          type: 'user',
          active: true,
          roles: ['user'],
          status: 'offline',
          emails: [{ address: 'alice@example.com', verified: false }],
          createdAt: expect.any(String),
          _updatedAt: expect.any(String),
        },
      });
      expect(JSON.stringify(res.body)).not.toContain('secret-1');
    });

    it('honours roles, active, verified and requirePasswordChange', async () => {
      const res = await admin
        .post('/api/v1/users.create', newUser('botty', { roles: ['bot', 'user'], active: false, verified: true, requirePasswordChange: true }))
        .expect(200);
      expect(res.body.user).toMatchObject({ roles: ['bot', 'user'], active: false, requirePasswordChange: true });
      expect(res.body.user.emails[0].verified).toBe(true);
      // An inactive user cannot log in.
      await t.http.post('/api/v1/login').send({ user: 'botty', password: 'secret-1' }).expect(401);
    });

    it('refuses usernames that differ only in case, and reused e-mails, with a clear 400', async () => {
      await admin.post('/api/v1/users.create', newUser('CaseUser')).expect(200);
      const dup = await admin.post('/api/v1/users.create', newUser('caseuser', { email: 'other@example.com' })).expect(400);
      expect(dup.body).toMatchObject({
        success: false,
        error: 'caseuser is already in use :( [error-field-unavailable]',
        errorType: 'error-field-unavailable',
      });
      const dupEmail = await admin.post('/api/v1/users.create', newUser('someone.else', { email: 'CASEUSER@example.com' })).expect(400);
      expect(dupEmail.body.errorType).toBe('error-field-unavailable');
    });

    it('refuses invalid usernames, e-mails and unknown roles', async () => {
      const name = await admin.post('/api/v1/users.create', newUser('has space')).expect(400);
      expect(name.body).toMatchObject({ error: 'has space is not a valid username [error-input-is-not-a-valid-field]' });
      const email = await admin.post('/api/v1/users.create', newUser('mailless', { email: 'not-an-email' })).expect(400);
      expect(email.body).toMatchObject({ error: 'Invalid email not-an-email [error-invalid-email]', errorType: 'error-invalid-email' });
      const role = await admin.post('/api/v1/users.create', newUser('roleless', { roles: ['emperor'] })).expect(400);
      expect(role.body).toMatchObject({ errorType: 'error-invalid-role' });
      const none = await admin.get('/api/v1/users.info', { username: 'roleless' }).expect(400);
      expect(none.body.errorType).toBe('error-invalid-user');
    });

    it('answers bad bodies with invalid-params naming each problem', async () => {
      const empty = await admin.post('/api/v1/users.create', {}).expect(400);
      expect(empty.body).toEqual({
        success: false,
        error:
          "must have required property 'email'\n must have required property 'name'\n must have required property 'password'\n must have required property 'username' [invalid-params]",
        errorType: 'invalid-params',
      });
      const types = await admin.post('/api/v1/users.create', { ...newUser('typed'), name: 5, roles: 'admin', active: 'yes' }).expect(400);
      expect(types.body.error).toBe('/name must be string\n /roles must be array\n /active must be boolean [invalid-params]');
      const extra = await admin.post('/api/v1/users.create', { ...newUser('extra'), isAdmin: true }).expect(400);
      expect(extra.body.error).toBe('must NOT have additional properties [invalid-params]');
      const arr = await admin.post('/api/v1/users.create', [newUser('arr')]).expect(400);
      expect(arr.body.error).toBe('must be object [invalid-params]');
      await admin.post('/api/v1/users.create').set('content-type', 'application/json').send('{').expect(400);
    });

    it('is refused to a non-admin with the Rocket.Chat 403', async () => {
      const bob = await createUser(t, admin);
      const res = await bob.post('/api/v1/users.create', newUser('by.bob')).expect(403);
      expect(res.body).toEqual(FORBIDDEN);
      await t.http.post('/api/v1/users.create').send(newUser('anon')).expect(401);
    });
  });

  describe('users.info, users.list, me', () => {
    it('finds a user by id or username, showing e-mails only to admins and the user', async () => {
      const carol = await createUser(t, admin);
      const byId = await admin.get('/api/v1/users.info', { userId: carol.userId }).expect(200);
      expect(byId.body.user).toMatchObject({ _id: carol.userId, username: carol.username, emails: [expect.any(Object)] });
      const byName = await admin.get('/api/v1/users.info', { username: carol.username.toUpperCase() }).expect(200);
      expect(byName.body.user._id).toBe(carol.userId);
      const dave = await createUser(t, admin);
      const seenByDave = await dave.get('/api/v1/users.info', { userId: carol.userId }).expect(200);
      expect(seenByDave.body.user.emails).toBeUndefined();
      const self = await carol.get('/api/v1/users.info', { userId: carol.userId }).expect(200);
      expect(self.body.user.emails).toHaveLength(1);
    });

    it('knows rocket.cat', async () => {
      const res = await admin.get('/api/v1/users.info', { username: 'rocket.cat' }).expect(200);
      expect(res.body.user).toMatchObject({ _id: 'rocket.cat', username: 'rocket.cat', name: 'Rocket.Cat', roles: ['bot'], type: 'bot' });
    });

    it('answers bad or unknown lookups with a clear 400', async () => {
      const neither = await admin.get('/api/v1/users.info').expect(400);
      expect(neither.body.error).toBe(
        "must have required property 'userId'\n must have required property 'username'\n must match exactly one schema in oneOf [invalid-params]",
      );
      await admin.get('/api/v1/users.info', { userId: 'x', username: 'y' }).expect(400);
      const unknown = await admin.get('/api/v1/users.info', { userId: 'nope' }).expect(400);
      expect(unknown.body).toEqual({
        success: false,
        error: 'The required "userId" or "username" param provided does not match any users [error-invalid-user]',
        errorType: 'error-invalid-user',
      });
      const extra = await admin.get('/api/v1/users.info', { userId: 'x', fields: '{}' }).expect(400);
      expect(extra.body.error).toBe('must NOT have additional properties [invalid-params]');
    });

    it('pages and sorts users.list', async () => {
      const all = await admin.get('/api/v1/users.list', { count: 100 }).expect(200);
      const total: number = all.body.total;
      expect(total).toBeGreaterThanOrEqual(3);
      expect(all.body.count).toBe(all.body.users.length);
      const page = await admin.get('/api/v1/users.list', { offset: 1, count: 2, sort: '{"username":-1}' }).expect(200);
      expect(page.body).toMatchObject({ offset: 1, count: 2, total, success: true });
      const names = all.body.users.map((u: { username: string }) => u.username).sort().reverse();
      expect(page.body.users.map((u: { username: string }) => u.username)).toEqual(names.slice(1, 3));
      const capped = await admin.get('/api/v1/users.list', { count: 1000 }).expect(200);
      expect(capped.body.users.length).toBeLessThanOrEqual(100);
    });

    it('refuses bad pagination with a clear 400', async () => {
      expect((await admin.get('/api/v1/users.list', { count: 'abc' }).expect(400)).body.error).toBe('/count must be integer [invalid-params]');
      expect((await admin.get('/api/v1/users.list', { offset: -1 }).expect(400)).body.error).toBe('/offset must be >= 0 [invalid-params]');
      expect((await admin.get('/api/v1/users.list', { sort: '{bad' }).expect(400)).body.errorType).toBe('error-invalid-sort');
      expect((await admin.get('/api/v1/users.list', { sort: '{"password":1}' }).expect(400)).body.errorType).toBe('error-invalid-sort');
    });

    it('me answers the caller', async () => {
      const res = await admin.get('/api/v1/me').expect(200);
      expect(res.body).toMatchObject({ _id: TEST_ADMIN, username: TEST_ADMIN, roles: ['admin'], success: true });
    });
  });

  describe('users.delete', () => {
    it('deletes a user, ending their sessions; refuses non-admins, unknown ids and the last admin', async () => {
      const erin = await createUser(t, admin);
      const frank = await createUser(t, admin);
      expect((await frank.post('/api/v1/users.delete', { userId: erin.userId }).expect(403)).body).toEqual(FORBIDDEN);
      await admin.post('/api/v1/users.delete', { userId: erin.userId }).expect(200);
      expect((await erin.get('/api/v1/me').expect(401)).body).toEqual(UNAUTHENTICATED);
      const again = await admin.post('/api/v1/users.delete', { userId: erin.userId }).expect(400);
      expect(again.body.errorType).toBe('error-invalid-user');
      const last = await admin.post('/api/v1/users.delete', { userId: TEST_ADMIN }).expect(400);
      expect(last.body.errorType).toBe('error-action-not-allowed');
      await admin.post('/api/v1/users.delete', {}).expect(400);
      await admin.post('/api/v1/users.delete', { userId: 7 }).expect(400);
    });
  });

  it('never writes a password or token to the database in clear', async () => {
    const rows: { password_hash: string | null }[] = await t.app.get(DataSource).query('SELECT password_hash FROM users');
    expect(rows.some((r) => r.password_hash?.includes('secret-1'))).toBe(false);
  });
});
