import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { databaseKind, startTestApp, TestApp } from './support/test-app';

describe(`teams (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  it('creates a team with a main room whose type follows the team type', async () => {
    const bob = await createUser(t, admin);
    const res = await bob.post('/api/v1/teams.create', { name: 'platform', type: 1 }).expect(200);
    expect(res.body.team).toMatchObject({ name: 'platform', type: 1, roomId: expect.any(String), createdBy: { _id: bob.userId } });
    const main = await bob.get('/api/v1/groups.info', { roomId: res.body.team.roomId }).expect(200);
    expect(main.body.group).toMatchObject({ t: 'p', name: 'platform', teamMain: true, teamId: res.body.team._id });
    const pub = await admin.post('/api/v1/teams.create', { name: 'open-team', type: 0 }).expect(200);
    expect((await admin.get('/api/v1/channels.info', { roomId: pub.body.team.roomId }).expect(200)).body.channel.teamMain).toBe(true);
  });

  it('lets team members put rooms in the team, and no one else', async () => {
    const owner = await createUser(t, admin);
    const outsider = await createUser(t, admin);
    const team = (await owner.post('/api/v1/teams.create', { name: 'infra', type: 0 }).expect(200)).body.team;
    const room = await owner.post('/api/v1/channels.create', { name: 'infra-alerts', extraData: { teamId: team._id } }).expect(200);
    expect(room.body.channel.teamId).toBe(team._id);
    const refused = await outsider.post('/api/v1/groups.create', { name: 'infra-spy', extraData: { teamId: team._id } }).expect(400);
    expect(refused.body.errorType).toBe('error-team-not-found');
  });

  it('deletes a team, its main room and the rooms named; other rooms stay without a team', async () => {
    const owner = await createUser(t, admin);
    const team = (await owner.post('/api/v1/teams.create', { name: 'temp-team', type: 0 }).expect(200)).body.team;
    const doomed = (await owner.post('/api/v1/channels.create', { name: 'temp-doomed', extraData: { teamId: team._id } }).expect(200)).body.channel;
    const kept = (await owner.post('/api/v1/channels.create', { name: 'temp-kept', extraData: { teamId: team._id } }).expect(200)).body.channel;
    const bob = await createUser(t, admin);
    await bob.post('/api/v1/channels.join', { roomId: team.roomId }).expect(200);
    expect((await bob.post('/api/v1/teams.delete', { teamId: team._id }).expect(400)).body.errorType).toBe('error-not-authorized');
    await owner.post('/api/v1/teams.delete', { teamName: 'temp-team', roomsToRemove: [doomed._id] }).expect(200);
    await owner.get('/api/v1/channels.info', { roomId: team.roomId }).expect(400);
    await owner.get('/api/v1/channels.info', { roomId: doomed._id }).expect(400);
    const stays = await owner.get('/api/v1/channels.info', { roomId: kept._id }).expect(200);
    expect(stays.body.channel.teamId).toBeUndefined();
    expect((await owner.post('/api/v1/teams.delete', { teamId: team._id }).expect(400)).body.errorType).toBe('team-does-not-exist');
  });

  it('refuses duplicates, users without create-team, and bad bodies', async () => {
    await admin.post('/api/v1/teams.create', { name: 'solo', type: 0 }).expect(200);
    expect((await admin.post('/api/v1/teams.create', { name: 'SOLO', type: 1 }).expect(400)).body.errorType).toBe('team-name-already-exists');
    await admin.post('/api/v1/permissions.update', { permissions: [{ _id: 'create-team', roles: ['admin'] }] }).expect(200);
    const bob = await createUser(t, admin);
    expect((await bob.post('/api/v1/teams.create', { name: 'bobs-team', type: 0 }).expect(403)).body).toEqual(FORBIDDEN);
    expect((await admin.post('/api/v1/teams.create', { name: 'x', type: 2 }).expect(400)).body.error).toBe(
      '/type must be equal to one of the allowed values [invalid-params]',
    );
    expect((await admin.post('/api/v1/teams.create', { type: 0 }).expect(400)).body.error).toBe("must have required property 'name' [invalid-params]");
    await admin.post('/api/v1/teams.delete', {}).expect(400);
  });
});
