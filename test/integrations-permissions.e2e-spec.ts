import { DataSource } from 'typeorm';
import { randomId } from '../src/core/ids/random-id';
import { Integration } from '../src/integrations/entities/integration.entity';
import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';
import { insertHistory } from './support/factories';
import { IncomingCallLog } from '../src/integrations/incoming/incoming-call-log';

const PERMS = ['manage-incoming-integrations', 'manage-own-incoming-integrations', 'manage-outgoing-integrations', 'manage-own-outgoing-integrations'] as const;
type Grants = { allIn: boolean; ownIn: boolean; allOut: boolean; ownOut: boolean };
type Kind = 'in' | 'out';

/** Every combination of the four permissions: none, each alone, pairs, triples, all. */
const SCENARIOS: Grants[] = Array.from({ length: 16 }, (_, bits) => ({
  allIn: !!(bits & 1),
  ownIn: !!(bits & 2),
  allOut: !!(bits & 4),
  ownOut: !!(bits & 8),
}));
const label = (g: Grants) => Object.entries(g).filter(([, v]) => v).map(([k]) => k).join('+') || 'none';

// The rules of the integrations spec, restated independently of the implementation.
const all = (g: Grants, k: Kind) => (k === 'in' ? g.allIn : g.allOut);
const own = (g: Grants, k: Kind) => (k === 'in' ? g.ownIn : g.ownOut);
const mayActOn = (g: Grants, k: Kind, mine: boolean) => all(g, k) || (own(g, k) && mine);
const anyGrant = (g: Grants) => g.allIn || g.ownIn || g.allOut || g.ownOut;
/** §2.4, with Rocket.Chat's quirk for mixed grants. */
const visibleInList = (g: Grants, k: Kind, mine: boolean) => {
  if (g.allOut && g.allIn) return true;
  if (g.ownOut && g.ownIn) return mine;
  return (g.allOut && k === 'out') || (g.allIn && k === 'in') || (g.ownOut && mine && k === 'out') || (g.ownIn && mine && k === 'in');
};

describe(`integration permissions matrix (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  let user: Client;
  const fixed: Record<`${Kind}-${'mine' | 'other'}`, Record<string, any>> = {} as never;

  /** The test user holds role `app` only; each scenario gives `app` exactly its permissions. */
  const grant = (g: Grants) => {
    const held = [g.allIn, g.ownIn, g.allOut, g.ownOut];
    return admin
      .post('/api/v1/permissions.update', { permissions: PERMS.map((id, i) => ({ _id: id, roles: held[i] ? ['admin', 'app'] : ['admin'] })) })
      .expect(200);
  };

  /** A throwaway integration to delete, written straight to the table (creating it is not what is tested). */
  const throwaway = async (k: Kind, mine: boolean) => {
    const id = randomId();
    const creator = mine ? user.userId : admin.userId;
    const row: Partial<Integration> = {
      id,
      type: k === 'in' ? 'webhook-incoming' : 'webhook-outgoing',
      name: 'matrix-throwaway',
      enabled: true,
      username: 'rocket.cat',
      userId: 'rocket.cat',
      channel: ['#general'],
      scriptEnabled: false,
      createdById: creator,
      createdByUsername: 'x',
      ...(k === 'out' ? { event: 'sendMessage', urls: ['http://127.0.0.1:9/x'] } : { token: randomId(48) }),
    };
    await t.app.get(DataSource).getRepository(Integration).insert(row);
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
    user = await createUser(t, admin, { roles: ['app'] });
    await grant({ allIn: true, ownIn: true, allOut: true, ownOut: true });
    fixed['in-mine'] = await createIntegration(user, incomingBody({ name: 'matrix-fixed in mine' }));
    fixed['out-mine'] = await createIntegration(user, outgoingBody({ name: 'matrix-fixed out mine', token: 'tok' }));
    fixed['in-other'] = await createIntegration(admin, incomingBody({ name: 'matrix-fixed in other' }));
    fixed['out-other'] = await createIntegration(admin, outgoingBody({ name: 'matrix-fixed out other', token: 'tok' }));
    for (const key of ['out-mine', 'out-other'] as const) {
      const integration = fixed[key];
      await insertHistory(t, integration, { data: {}, url: null });
    }
    // One call each (an empty body posts nothing), so incoming history has something to show or hide.
    for (const key of ['in-mine', 'in-other'] as const) await t.http.post(`/hooks/${fixed[key]._id}/${fixed[key].token}`).send({}).expect(200);
    await t.app.get(IncomingCallLog).flush();
  });
  afterAll(async () => t.close());

  describe.each(SCENARIOS.map((g) => [label(g), g] as const))('holding %s', (_name, g) => {
    beforeAll(async () => grant(g));

    it('create: needs the all- or own-permission of the type', async () => {
      const incoming = await user.post('/api/v1/integrations.create', incomingBody({ name: 'matrix-new' }));
      if (g.allIn || g.ownIn) expect(incoming.status).toBe(200);
      else expect(incoming.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
      const outgoing = await user.post('/api/v1/integrations.create', outgoingBody({ name: 'matrix-new' }));
      if (g.allOut || g.ownOut) expect(outgoing.status).toBe(200);
      else expect(outgoing.body).toEqual(meteorError('not_authorized'));
    });

    it('get: the all-permission, or the own-permission on one’s own', async () => {
      for (const k of ['in', 'out'] as const) {
        for (const mine of [true, false]) {
          const integration = fixed[`${k}-${mine ? 'mine' : 'other'}`];
          const res = await user.get('/api/v1/integrations.get', { integrationId: integration._id });
          if (mayActOn(g, k, mine)) expect(res.body).toMatchObject({ integration: { _id: integration._id, token: integration.token }, success: true });
          else expect(res.body).toEqual({ success: false, error: 'not-authorized' });
        }
      }
    });

    it('list: 403 without any grant, else exactly the visible ones (§2.4)', async () => {
      const res = await user.get('/api/v1/integrations.list', { name: 'matrix-fixed', count: 100 });
      if (!anyGrant(g)) {
        expect(res.status).toBe(403);
        expect(res.body).toEqual(FORBIDDEN);
        return;
      }
      const expected = (['in', 'out'] as const).flatMap((k) =>
        [true, false].filter((mine) => visibleInList(g, k, mine)).map((mine) => fixed[`${k}-${mine ? 'mine' : 'other'}`]._id),
      );
      expect(res.body.integrations.map((i: { _id: string }) => i._id).sort()).toEqual(expected.sort());
      // Only "own" permissions: never anyone else's token.
      if (!g.allIn && !g.allOut) expect(JSON.stringify(res.body)).not.toContain(fixed['in-other'].token);
    });

    it('update: refused without the type’s permissions, "invalid" for others’ with only the own-permission', async () => {
      for (const mine of [true, false]) {
        const incoming = fixed[`in-${mine ? 'mine' : 'other'}`];
        const res = await user.put('/api/v1/integrations.update', { ...incomingBody({ name: incoming.name }), integrationId: incoming._id });
        if (mayActOn(g, 'in', mine)) expect(res.status).toBe(200);
        else if (!g.allIn && !g.ownIn) expect(res.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
        else expect(res.body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));

        const outgoing = fixed[`out-${mine ? 'mine' : 'other'}`];
        const out = await user.put('/api/v1/integrations.update', { ...outgoingBody({ name: outgoing.name, token: 'tok' }), integrationId: outgoing._id });
        if (mayActOn(g, 'out', mine)) expect(out.status).toBe(200);
        else if (!g.allOut && !g.ownOut) expect(out.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
        else expect(out.body).toEqual(meteorError('invalid_integration', '[methods] updateOutgoingIntegration -> integration not found'));
      }
    });

    it('history: outgoing on Rocket.Chat’s route, incoming on integrations.incomingHistory, each behind its type’s permissions; a foreign history is empty with the own-permission alone', async () => {
      for (const k of ['in', 'out'] as const) {
        for (const mine of [true, false]) {
          const route = k === 'in' ? '/api/v1/integrations.incomingHistory' : '/api/v1/integrations.history';
          const res = await user.get(route, { id: fixed[`${k}-${mine ? 'mine' : 'other'}`]._id });
          if (!all(g, k) && !own(g, k)) {
            expect({ k, mine, status: res.status, body: res.body }).toEqual({ k, mine, status: 403, body: FORBIDDEN });
            continue;
          }
          expect(res.status).toBe(200);
          expect({ k, mine, total: res.body.total }).toEqual({ k, mine, total: mayActOn(g, k, mine) ? 1 : 0 });
        }
      }
      // Rocket.Chat's route for an incoming id: the outgoing permissions decide, and it holds no calls.
      const incomingId = await user.get('/api/v1/integrations.history', { id: fixed['in-mine']._id });
      if (!all(g, 'out') && !own(g, 'out')) expect({ status: incomingId.status, body: incomingId.body }).toEqual({ status: 403, body: FORBIDDEN });
      else expect({ status: incomingId.status, total: incomingId.body.total }).toEqual({ status: 200, total: 0 });
    });

    it('revisions, revert and dryRun: the rules of update for the integration’s type', async () => {
      for (const k of ['in', 'out'] as const) {
        for (const mine of [true, false]) {
          const integrationId = fixed[`${k}-${mine ? 'mine' : 'other'}`]._id;
          const listed = await user.get('/api/v1/integrations.revisions', { integrationId });
          const reverted = await user.post('/api/v1/integrations.revert', { integrationId, revision: 1 });
          const dryRun = await user.post('/api/v1/integrations.dryRun', { integrationId, script: 'class Script {}' });
          for (const res of [listed, reverted, dryRun]) {
            if (mayActOn(g, k, mine)) expect(res.status).toBe(200);
            else if (!all(g, k) && !own(g, k)) expect(res.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
            else expect(res.body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));
          }
        }
      }
    });

    it('rotateSigningSecret: the outgoing permissions, on outgoing integrations only', async () => {
      for (const k of ['in', 'out'] as const) {
        for (const mine of [true, false]) {
          const res = await user.post('/api/v1/integrations.rotateSigningSecret', { integrationId: fixed[`${k}-${mine ? 'mine' : 'other'}`]._id, keepOldForSeconds: 0 });
          if (!g.allOut && !g.ownOut) expect(res.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
          else if (k === 'out' && mayActOn(g, 'out', mine)) expect(res.body).toEqual({ signingSecret: expect.stringMatching(/^whsec_/), previousSigningSecretExpiresAt: null, success: true });
          else expect(res.body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));
        }
      }
    });

    it('remove: 403 without any grant; else by the type’s permissions', async () => {
      for (const k of ['in', 'out'] as const) {
        for (const mine of [true, false]) {
          const id = await throwaway(k, mine);
          const res = await user.post('/api/v1/integrations.remove', { type: k === 'in' ? 'webhook-incoming' : 'webhook-outgoing', integrationId: id });
          if (!anyGrant(g)) expect(res.body).toEqual(FORBIDDEN);
          else if (mayActOn(g, k, mine)) expect(res.status).toBe(200);
          else if (!all(g, k) && !own(g, k)) expect(res.body).toEqual(meteorError('not_authorized', 'Unauthorized'));
          else expect(res.body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));
        }
      }
    });
  });

  it('never lets one integration’s id be used with another’s token: tokens are unique per integration', async () => {
    expect(fixed['in-mine'].token).not.toBe(fixed['in-other'].token);
  });
});
