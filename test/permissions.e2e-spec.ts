import { AuthorizationSeeder } from '../src/authorization/authorization.seeder';
import { DEFAULT_PERMISSIONS } from '../src/authorization/default-permissions';
import { UsersSeeder } from '../src/users/users.seeder';
import { Client, createUser, FORBIDDEN, login, loginAsAdmin, TEST_ADMIN } from './support/api';
import { eventually } from './support/eventually';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

type ApiPermission = { _id: string; roles: string[] };

describe(`roles and permissions (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  const rolesOf = async (id: string) => {
    const res = await admin.get('/api/v1/permissions.listAll').expect(200);
    return (res.body.update as ApiPermission[]).find((p) => p._id === id)?.roles;
  };

  describe('default data on a fresh TEST_MODE server', () => {
    it('has exactly the six default roles', async () => {
      const res = await admin.get('/api/v1/roles.list').expect(200);
      expect(res.body.roles.map((r: { _id: string }) => r._id).sort()).toEqual(['admin', 'app', 'bot', 'moderator', 'owner', 'user']);
      expect(res.body.roles.find((r: { _id: string }) => r._id === 'owner')).toMatchObject({ name: 'owner', scope: 'Subscriptions' });
    });

    it('has exactly the default permissions with the spec’s roles', async () => {
      const res = await admin.get('/api/v1/permissions.listAll').expect(200);
      expect(res.body.remove).toEqual([]);
      const byId = Object.fromEntries((res.body.update as ApiPermission[]).map((p) => [p._id, p.roles]));
      expect(byId).toEqual(Object.fromEntries(DEFAULT_PERMISSIONS.map((p) => [p.id, p.roles])));
      for (const id of [
        'manage-incoming-integrations',
        'manage-own-incoming-integrations',
        'manage-outgoing-integrations',
        'manage-own-outgoing-integrations',
        'view-room-administration',
      ]) {
        expect(byId[id]).toEqual(['admin']);
      }
      expect(byId['message-impersonate']).toEqual(['bot', 'app']);
      expect(byId['create-c']).toEqual(['admin', 'user', 'bot']);
      expect(byId['create-p']).toEqual(['admin', 'user', 'bot']);
    });

    it('filters permissions.listAll by updatedSince, and refuses a bad date', async () => {
      const future = await admin.get('/api/v1/permissions.listAll', { updatedSince: '2999-01-01T00:00:00Z' }).expect(200);
      expect(future.body.update).toEqual([]);
      const bad = await admin.get('/api/v1/permissions.listAll', { updatedSince: 'yesterday' }).expect(400);
      expect(bad.body.error).toBe('/updatedSince must match format "date-time" [invalid-params]');
    });

    it('seeding again changes nothing and keeps an administrator’s edits', async () => {
      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-team', roles: ['admin'] }] }).expect(200);
      const before = await admin.get('/api/v1/users.list', { count: 100 }).expect(200);
      await t.app.get(AuthorizationSeeder).onApplicationBootstrap();
      await t.app.get(UsersSeeder).onApplicationBootstrap();
      const after = await admin.get('/api/v1/users.list', { count: 100 }).expect(200);
      expect(after.body.total).toBe(before.body.total);
      expect(await rolesOf('create-team')).toEqual(['admin']);
      await login(t, TEST_ADMIN, TEST_ADMIN);
    });
  });

  describe('permissions.update', () => {
    it('grants and revokes with effect on the very next request', async () => {
      const bob = await createUser(t, admin);
      const body = (username: string) => ({ username, name: username, email: `${username}@example.com`, password: 'pw' });
      await bob.post('/api/v1/users.create', body('grant.1')).expect(403);

      const granted = await admin
        .post('/api/v1/permissions.update', { permissions: [{ _id: 'create-user', roles: ['admin', 'user'] }] })
        .expect(200);
      expect((granted.body.permissions as ApiPermission[]).find((p) => p._id === 'create-user')?.roles).toEqual(['admin', 'user']);
      await bob.post('/api/v1/users.create', body('grant.2')).expect(200);

      await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-user', roles: ['admin'] }] }).expect(200);
      expect((await bob.post('/api/v1/users.create', body('grant.3')).expect(403)).body).toEqual(FORBIDDEN);
    });

    it('is refused to a non-admin with the 403', async () => {
      const carol = await createUser(t, admin);
      const res = await carol.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-user', roles: ['user'] }] }).expect(403);
      expect(res.body).toEqual(FORBIDDEN);
      expect(await rolesOf('create-user')).toEqual(['admin']);
    });

    it('changes nothing when any entry names an unknown role or permission', async () => {
      const unknownRole = await admin
        .post('/api/v1/permissions.update', {
          permissions: [
            { _id: 'create-team', roles: ['user'] },
            { _id: 'create-c', roles: ['wizard'] },
          ],
        })
        .expect(400);
      expect(unknownRole.body).toMatchObject({ error: 'Invalid role: wizard [error-invalid-role]', errorType: 'error-invalid-role' });
      const unknownPermission = await admin
        .post('/api/v1/permissions.update', {
          permissions: [
            { _id: 'create-team', roles: ['user'] },
            { _id: 'fly', roles: ['user'] },
          ],
        })
        .expect(400);
      expect(unknownPermission.body).toMatchObject({ errorType: 'error-invalid-permission' });
      expect(await rolesOf('create-team')).toEqual(['admin']);
    });

    it('answers bad bodies with invalid-params', async () => {
      const cases: [unknown, string][] = [
        [{}, "must have required property 'permissions'"],
        [{ permissions: 'create-c' }, '/permissions must be array'],
        [{ permissions: [] }, '/permissions must NOT have fewer than 1 items'],
        [{ permissions: [{ _id: 'create-c' }] }, "must have required property 'roles'"],
        [{ permissions: [{ _id: 'create-c', roles: 'admin' }] }, '/roles must be array'],
        [{ permissions: [{ _id: 'create-c', roles: [1] }] }, '/roles/* must be string'],
        [{ permissions: [{ _id: 'create-c', roles: [], hack: 1 }] }, 'must NOT have additional properties'],
      ];
      for (const [body, message] of cases) {
        const res = await admin.post('/api/v1/permissions.update', body).expect(400);
        expect(res.body).toEqual({ success: false, error: `${message} [invalid-params]`, errorType: 'invalid-params' });
      }
    });
  });
});

describe(`first administrator from the environment (${databaseKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ testMode: false, admin: { username: 'boss', password: 'b0ss-pass', email: 'boss@example.com' } });
  });
  afterAll(async () => t.close());

  it('creates ADMIN_USERNAME with ADMIN_PASS and ADMIN_EMAIL, and no test admin', async () => {
    const boss = await login(t, 'boss', 'b0ss-pass');
    const me = await boss.get('/api/v1/me').expect(200);
    expect(me.body).toMatchObject({ username: 'boss', roles: ['admin'], email: 'boss@example.com' });
    await t.http.post('/api/v1/login').send({ user: TEST_ADMIN, password: TEST_ADMIN }).expect(401);
    await boss.post('/api/v1/users.create', { username: 'hired', name: 'Hired', email: 'h@example.com', password: 'x' }).expect(200);
  });
});

const onPostgres = databaseKind === 'postgres' ? describe : describe.skip;

onPostgres('two server processes sharing one PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({ databaseUrl: first.config.databaseUrl });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  // The other process hears of a change through LISTEN/NOTIFY, moments after the commit: the
  // test's next request can be faster than that, so each check allows the notice two seconds (as two-processes.e2e-spec does).
  it('a grant changed through one is enforced by the other within moments', async () => {
    const adminOnFirst = await loginAsAdmin(first);
    const bob = await createUser(first, adminOnFirst);
    const bobOnSecond = new Client(second, bob.credentials);
    let n = 0;
    const createOnSecond = async () => {
      n += 1;
      const username = `cross.${n}`;
      return (await bobOnSecond.post('/api/v1/users.create', { username, name: username, email: `${username}@example.com`, password: 'pw' })).status;
    };

    await adminOnFirst.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-user', roles: ['admin', 'user'] }] }).expect(200);
    await eventually(createOnSecond, (status) => status === 200, 2000);
    await adminOnFirst.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-user', roles: ['admin'] }] }).expect(200);
    await eventually(createOnSecond, (status) => status === 403, 2000);
    // A logout on one process ends the session on the other too.
    await bob.post('/api/v1/logout').expect(200);
    await eventually(async () => (await bobOnSecond.get('/api/v1/me')).status, (status) => status === 401, 2000);
  });
});
