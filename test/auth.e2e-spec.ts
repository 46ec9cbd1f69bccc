import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createUser, login, loginAsAdmin, TEST_ADMIN, UNAUTHENTICATED } from './support/api';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

const UNAUTHORIZED_LOGIN = { status: 'error', error: 'Unauthorized', message: 'Unauthorized' };

describe(`authentication (${databaseKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  describe('POST /api/v1/login', () => {
    it('logs the test admin in with its password and answers Rocket.Chat’s shape', async () => {
      const res = await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: TEST_ADMIN }).expect(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toEqual({
        status: 'success',
        data: {
          userId: TEST_ADMIN,
          authToken: expect.stringMatching(/^[\w-]{43}$/),
          me: expect.objectContaining({ _id: TEST_ADMIN, username: TEST_ADMIN, roles: ['admin'], email: `${TEST_ADMIN}@rocket.chat` }),
        },
      });
    });

    it('accepts username or e-mail in any case, and Rocket.Chat’s SHA-256 digest form of the password', async () => {
      await t.http.post('/api/v1/login').send({ username: TEST_ADMIN.toUpperCase(), password: TEST_ADMIN }).expect(200);
      await t.http.post('/api/v1/login').send({ email: `${TEST_ADMIN}@ROCKET.CHAT`, password: TEST_ADMIN }).expect(200);
      const digest = createHash('sha256').update(TEST_ADMIN).digest('hex');
      await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: { digest, algorithm: 'sha-256' } }).expect(200);
    });

    it('refuses a wrong password or unknown user with 401', async () => {
      const wrong = await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: 'nope' }).expect(401);
      expect(wrong.body).toEqual(UNAUTHORIZED_LOGIN);
      const unknown = await t.http.post('/api/v1/login').send({ user: 'nobody.here', password: 'x' }).expect(401);
      expect(unknown.body).toEqual(UNAUTHORIZED_LOGIN);
      const digest = await t.http
        .post('/api/v1/login')
        .send({ user: TEST_ADMIN, password: { digest: '0'.repeat(64), algorithm: 'sha-256' } })
        .expect(401);
      expect(digest.body).toEqual(UNAUTHORIZED_LOGIN);
    });

    it('answers bad bodies with 400 invalid-params', async () => {
      const noPassword = await t.http.post('/api/v1/login').send({ user: TEST_ADMIN }).expect(400);
      expect(noPassword.body).toEqual({
        success: false,
        error: "must have required property 'password' [invalid-params]",
        errorType: 'invalid-params',
      });
      const noUser = await t.http.post('/api/v1/login').send({ password: 'x' }).expect(400);
      expect(noUser.body.error).toBe(
        "must have required property 'user'\n must have required property 'username'\n must match exactly one schema in oneOf [invalid-params]",
      );
      const wrongTypes = await t.http.post('/api/v1/login').send({ user: 42, password: ['x'] }).expect(400);
      expect(wrongTypes.body.error).toContain('/user must be string');
      expect(wrongTypes.body.error).toContain('/password must be a non-empty string');
      const array = await t.http.post('/api/v1/login').send([1, 2]).expect(400);
      expect(array.body.error).toBe('must be object [invalid-params]');
      await t.http.post('/api/v1/login').set('content-type', 'application/json').send('{"user":').expect(400);
    });

    it('stores only a SHA-256 hash of the login token, and a bcrypt hash of the password', async () => {
      const res = await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: TEST_ADMIN }).expect(200);
      const token: string = res.body.data.authToken;
      const ds = t.app.get(DataSource);
      const rows: { token_hash: string }[] = await ds.query('SELECT token_hash FROM login_tokens');
      expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
      expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
      const [{ password_hash }] = await ds.query('SELECT password_hash FROM users WHERE id = $1', [TEST_ADMIN]);
      expect(password_hash).toMatch(/^\$2[aby]\$10\$/);
    });
  });

  describe('X-User-Id / X-Auth-Token', () => {
    it('answers 401 without headers, with one of them, or with wrong ones', async () => {
      const admin = await loginAsAdmin(t);
      const bare = await t.http.get('/api/v1/me').expect(401);
      expect(bare.body).toEqual(UNAUTHENTICATED);
      expect(bare.headers['content-type']).toBe('application/json');
      await t.http.get('/api/v1/me').set('X-User-Id', admin.userId).expect(401);
      await t.http.get('/api/v1/me').set('X-Auth-Token', admin.credentials.authToken).expect(401);
      const wrongToken = await t.http.get('/api/v1/me').set('X-User-Id', admin.userId).set('X-Auth-Token', 'not-a-token').expect(401);
      expect(wrongToken.body).toEqual(UNAUTHENTICATED);
    });

    it('does not let one user’s token act for another user id', async () => {
      const admin = await loginAsAdmin(t);
      const bob = await createUser(t, admin);
      await t.http.get('/api/v1/me').set('X-User-Id', TEST_ADMIN).set('X-Auth-Token', bob.credentials.authToken).expect(401);
      const me = await bob.get('/api/v1/me').expect(200);
      expect(me.body).toMatchObject({ _id: bob.userId, username: bob.username, roles: ['user'], success: true });
    });

    it('refuses a token after logout, and keeps the user’s other sessions', async () => {
      const admin = await loginAsAdmin(t);
      const bob = await createUser(t, admin);
      const bobElsewhere = await login(t, bob.username, `pw-${bob.username}`);
      const out = await bob.post('/api/v1/logout').expect(200);
      expect(out.body).toEqual({ status: 'success', data: { message: "You've been logged out!" } });
      expect((await bob.get('/api/v1/me').expect(401)).body).toEqual(UNAUTHENTICATED);
      await bob.post('/api/v1/logout').expect(401);
      await bobElsewhere.get('/api/v1/me').expect(200);
    });

    it('keeps public routes public', async () => {
      await t.http.get('/api/info').expect(200);
      await t.http.get('/health').expect(200);
    });
  });
});
