import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { meteorError } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

/** Rocket.Chat's personal access tokens, and login sessions that expire. */
describe(`personal access tokens (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ loginExpirationDays: 1 });
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const me = (userId: string, token: string) => t.http.get('/api/v1/me').set('x-user-id', userId).set('x-auth-token', token);
  const method = (name: string) => ({ details: { method: `personalAccessTokens:${name}` } });

  it('makes a token that works like a login, lists it without the token, regenerates and removes it', async () => {
    const user = await createUser(t, admin);
    const made = await user.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'ci' }).expect(200);
    expect(made.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), success: true });
    const token = made.body.token as string;
    expect((await me(user.userId, token).expect(200)).body).toMatchObject({ _id: user.userId, username: user.username });
    await me(admin.userId, token).expect(401);

    const listed = await user.get('/api/v1/users.getPersonalAccessTokens').expect(200);
    expect(listed.body).toEqual({ tokens: [{ name: 'ci', createdAt: expect.any(String), lastTokenPart: token.slice(-6), bypassTwoFactor: false }], success: true });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const [row] = await t.app.get(DataSource).query(`SELECT token_hash FROM login_tokens WHERE user_id = $1 AND name = 'ci'`, [user.userId]);
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const again = await user.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'ci' }).expect(400);
    expect(again.body).toEqual({ ...meteorError('error-token-already-exists', 'A token with this name already exists'), ...method('generateToken') });

    const regenerated = await user.post('/api/v1/users.regeneratePersonalAccessToken', { tokenName: 'ci' }).expect(200);
    expect(regenerated.body.token).not.toBe(token);
    await me(user.userId, token).expect(401);
    await me(user.userId, regenerated.body.token).expect(200);

    await user.post('/api/v1/users.removePersonalAccessToken', { tokenName: 'ci' }).expect(200);
    await me(user.userId, regenerated.body.token).expect(401);
    expect((await user.get('/api/v1/users.getPersonalAccessTokens').expect(200)).body.tokens).toEqual([]);
    const gone = await user.post('/api/v1/users.removePersonalAccessToken', { tokenName: 'ci' }).expect(400);
    expect(gone.body).toEqual({ ...meteorError('error-token-does-not-exists', 'Token does not exist'), ...method('removeToken') });
    const notThere = await user.post('/api/v1/users.regeneratePersonalAccessToken', { tokenName: 'never' }).expect(400);
    expect(notThere.body).toEqual({ ...meteorError('error-token-does-not-exists', 'Token does not exist'), ...method('regenerateToken') });
  });

  it('keeps names per user and the two-factor flag', async () => {
    const [a, b] = [await createUser(t, admin), await createUser(t, admin)];
    await a.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'shared', bypassTwoFactor: true }).expect(200);
    await b.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'shared' }).expect(200);
    expect((await a.get('/api/v1/users.getPersonalAccessTokens').expect(200)).body.tokens).toEqual([expect.objectContaining({ name: 'shared', bypassTwoFactor: true })]);
    const regenerated = await a.post('/api/v1/users.regeneratePersonalAccessToken', { tokenName: 'shared' }).expect(200);
    expect(regenerated.body.token).toEqual(expect.any(String));
    expect((await a.get('/api/v1/users.getPersonalAccessTokens').expect(200)).body.tokens).toEqual([expect.objectContaining({ name: 'shared', bypassTwoFactor: true })]);
    expect((await b.get('/api/v1/users.getPersonalAccessTokens').expect(200)).body.tokens).toEqual([expect.objectContaining({ name: 'shared', bypassTwoFactor: false })]);
  });

  it('needs create-personal-access-tokens', async () => {
    const user = await createUser(t, admin);
    await user.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'kept' }).expect(200);
    await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-personal-access-tokens', roles: ['admin'] }] }).expect(200);
    try {
      for (const [path, name] of [['generate', 'generateToken'], ['regenerate', 'regenerateToken'], ['remove', 'removeToken']] as const) {
        const res = await user.post(`/api/v1/users.${path}PersonalAccessToken`, { tokenName: 'kept' }).expect(400);
        expect(res.body).toEqual({ ...meteorError('not-authorized', 'Not Authorized'), ...method(name) });
      }
      // The list declares its permission on the route in Rocket.Chat: 403, not the methods' 400.
      expect((await user.get('/api/v1/users.getPersonalAccessTokens').expect(403)).body).toEqual(FORBIDDEN);
      await admin.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'admin-ci' }).expect(200);
    } finally {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-personal-access-tokens', roles: ['admin', 'user'] }] }).expect(200);
    }
  });

  it.each([
    ['no name', {}, "The 'tokenName' param is required"],
    ['an empty name', { tokenName: '  ' }, "The 'tokenName' param is required"],
    ['a name that is not text', { tokenName: 42 }, "The 'tokenName' param is required"],
  ])('refuses %s', async (_, body, error) => {
    expect((await admin.post('/api/v1/users.generatePersonalAccessToken', body).expect(400)).body).toEqual({ success: false, error });
  });

  it("takes Rocket.Chat's own test body {tokenName, loginToken}: other fields are ignored, and the token logs in", async () => {
    const user = await createUser(t, admin);
    const made = await user.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'from-rc-tests', loginToken: 'anything' }).expect(200);
    expect(made.body).toEqual({ token: expect.any(String), success: true });
    await t.http.get('/api/v1/me').set('X-User-Id', user.userId).set('X-Auth-Token', made.body.token).expect(200);
    await user.post('/api/v1/users.regeneratePersonalAccessToken', { tokenName: 'from-rc-tests', loginToken: 'anything' }).expect(200);
    await user.post('/api/v1/users.removePersonalAccessToken', { tokenName: 'from-rc-tests', loginToken: 'anything' }).expect(200);
  });

  it('refuses a bypassTwoFactor that is not a boolean, and anyone not logged in', async () => {
    const res = await admin.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'x', bypassTwoFactor: 'yes' }).expect(400);
    expect(res.body).toMatchObject({ success: false });
    await t.http.post('/api/v1/users.generatePersonalAccessToken').send({ tokenName: 'x' }).expect(401);
  });

  it('ends a login session after LOGIN_EXPIRATION_DAYS, never a personal access token', async () => {
    const user = await createUser(t, admin);
    const pat = (await user.post('/api/v1/users.generatePersonalAccessToken', { tokenName: 'old' }).expect(200)).body.token as string;
    const login = await t.http.post('/api/v1/login').send({ user: user.username, password: `pw-${user.username}` }).expect(200);
    const session = login.body.data.authToken as string;
    await t.app.get(DataSource).query(`UPDATE login_tokens SET created_at = now() - interval '400 days' WHERE user_id = $1`, [user.userId]);
    await me(user.userId, session).expect(401);
    await me(user.userId, pat).expect(200);
  });
});
