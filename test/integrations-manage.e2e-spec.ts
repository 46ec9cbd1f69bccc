import { DataSource } from 'typeorm';
import { IntegrationHistory } from '../src/integrations/entities/integration-history.entity';
import { Client, createUser, FORBIDDEN, loginAsAdmin } from './support/api';
import { createIntegration, incomingBody, meteorError, outgoingBody } from './support/integrations';
import { eventually, settle } from './support/eventually';
import { Sink } from './support/sink';
import { databaseKind, startTestApp, TestApp } from './support/test-app';
import { insertHistory } from './support/factories';

describe(`integrations management (${databaseKind})`, () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(async () => t.close());

  /** The integration as stored (without `stats`, its live delivery health, tested in integration-stats.e2e-spec.ts). */
  const get = async (id: string) => {
    const { stats: _stats, ...stored } = (await admin.get('/api/v1/integrations.get', { integrationId: id }).expect(200)).body.integration;
    return stored;
  };
  /** An integration as `get` shows it: the signing secret appears only in the create answer. */
  const asShown = ({ signingSecret: _secret, ...rest }: Record<string, unknown>) => rest;

  /** Stands in for the outgoing pipeline, which writes history; the read endpoints are what is tested here. */
  const addHistory = (integration: Record<string, any>, fields: Partial<IntegrationHistory> = {}) => insertHistory(t, integration, fields);

  describe('integrations.update, incoming (§3.3)', () => {
    it('updates fields, keeps the token, moves _updatedAt and records _updatedBy — the seed’s body verbatim', async () => {
      await admin.post('/api/v1/channels.create', { name: 'test' }).expect(200);
      const created = await createIntegration(admin, incomingBody({ alias: 'Jim', emoji: ':ghost:' }));
      const editor = await createUser(t, admin, { roles: ['admin'] });
      await new Promise((r) => setTimeout(r, 5));
      const res = await editor
        .put('/api/v1/integrations.update', { type: 'webhook-incoming', name: 'Test', enabled: false, username: 'rocket.cat', scriptEnabled: false, channel: '#test', integrationId: created._id })
        .expect(200);
      expect(res.body.integration).toMatchObject({
        _id: created._id,
        name: 'Test',
        enabled: false,
        channel: ['#test'],
        alias: 'Jim',
        emoji: ':ghost:',
        token: created.token,
        _createdAt: created._createdAt,
        _createdBy: created._createdBy,
        _updatedBy: { _id: editor.userId, username: editor.username },
      });
      expect(Date.parse(res.body.integration._updatedAt)).toBeGreaterThan(Date.parse(created._updatedAt));
    });

    it('sets alias/avatar/emoji only when sent, and accepts extra fields', async () => {
      const created = await createIntegration(admin, incomingBody({ alias: 'Keep', emoji: ':x:' }));
      const res = await admin
        .put('/api/v1/integrations.update', { ...incomingBody(), integrationId: created._id, alias: '', avatar: 'https://example.com/a.png', anything: 'ignored' })
        .expect(200);
      expect(res.body.integration).toMatchObject({ alias: '', avatar: 'https://example.com/a.png', emoji: ':x:' });
      expect(res.body.integration).not.toHaveProperty('anything');
    });

    it('checks the channel before the permission, and leaves the integration unchanged on any failure', async () => {
      const created = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: 'class Script {}' }));
      const bob = await createUser(t, admin);
      const update = (client: Client, extra: Record<string, unknown>) =>
        client.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: created._id, ...extra });
      expect((await update(bob, { channel: 'general' }).expect(400)).body.errorType).toBe('error-invalid-channel-start-with-chars');
      expect((await update(bob, {}).expect(400)).body).toEqual(meteorError('not_authorized', 'Unauthorized'));
      expect((await update(admin, { channel: '#nope', name: 'changed', scriptEnabled: true, script: 'class Script { a( }' }).expect(400)).body).toEqual(
        meteorError('error-invalid-room', 'Invalid room'),
      );
      expect((await update(admin, { username: 'ghost', name: 'changed' }).expect(400)).body).toEqual(meteorError('error-invalid-post-as-user', 'Invalid Post As User'));
      expect(await get(created._id)).toEqual(asShown(created));
    });

    it('answers unknown ids, wrong types and bad bodies', async () => {
      expect((await admin.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: 'nope' }).expect(400)).body).toEqual({
        success: false,
        error: 'No integration found.',
      });
      const outgoing = await createIntegration(admin, outgoingBody());
      expect((await admin.put('/api/v1/integrations.update', { ...incomingBody(), integrationId: outgoing._id }).expect(400)).body).toEqual(
        meteorError('error-invalid-integration', 'Invalid integration'),
      );
      const missing = await admin.put('/api/v1/integrations.update', incomingBody()).expect(400);
      expect(missing.body.error).toBe(
        "must have required property 'integrationId'\n must have required property 'event'\n must match exactly one schema in oneOf [invalid-params]",
      );
      expect((await admin.put('/api/v1/integrations.update', { ...incomingBody({ type: 'webhook-incoming-x' }), integrationId: 'x' }).expect(400)).body.error).toBe(
        'Invalid integration type.',
      );
    });

    it('recompiles a changed script and records a script error', async () => {
      const created = await createIntegration(admin, incomingBody({ scriptEnabled: true, script: 'class Script {}' }));
      const res = await admin
        .put('/api/v1/integrations.update', { ...incomingBody(), integrationId: created._id, scriptEnabled: true, script: 'class Script { broken( }' })
        .expect(200);
      expect(res.body.integration.scriptError.name).toBe('SyntaxError');
      expect(res.body.integration).not.toHaveProperty('scriptCompiled');
    });
  });

  describe('integrations.update, outgoing (§3.4)', () => {
    it('finds by target_url and replaces the whole integration (omitted optional fields are cleared)', async () => {
      const url = 'http://127.0.0.1:9/replace-me';
      const created = await createIntegration(admin, outgoingBody({ urls: [url], token: 'tok-1', alias: 'Old', triggerWords: ['!a'], retryFailedCalls: true }));
      const res = await admin
        .put('/api/v1/integrations.update', outgoingBody({ target_url: url, urls: ['http://127.0.0.1:9/new'], token: 'tok-2', name: 'Replaced' }))
        .expect(200);
      expect(res.body.integration).toMatchObject({ _id: created._id, name: 'Replaced', urls: ['http://127.0.0.1:9/new'], token: 'tok-2', _updatedBy: { _id: admin.userId } });
      for (const cleared of ['alias', 'triggerWords', 'retryFailedCalls', 'retryCount', 'retryDelay']) expect(res.body.integration).not.toHaveProperty(cleared);
    });

    it('requires a token, then the permission; reports unknown ones', async () => {
      const created = await createIntegration(admin, outgoingBody({ token: 'abc' }));
      expect((await admin.put('/api/v1/integrations.update', outgoingBody({ integrationId: created._id })).expect(400)).body).toEqual(
        meteorError('error-invalid-token', 'Invalid token'),
      );
      expect((await admin.put('/api/v1/integrations.update', outgoingBody({ integrationId: created._id, event: 'nope', token: '' })).expect(400)).body.errorType).toBe(
        'error-invalid-event-type',
      );
      const bob = await createUser(t, admin);
      expect((await bob.put('/api/v1/integrations.update', outgoingBody({ integrationId: created._id, token: 'x' })).expect(400)).body).toEqual(
        meteorError('not_authorized', 'Unauthorized'),
      );
      expect((await admin.put('/api/v1/integrations.update', outgoingBody({ integrationId: 'nope', token: 'x' })).expect(400)).body.error).toBe('No integration found.');
      expect((await admin.put('/api/v1/integrations.update', outgoingBody({ target_url: 'http://nowhere', token: 'x' })).expect(400)).body.error).toBe(
        'No integration found.',
      );
      expect(await get(created._id)).toEqual(asShown(created));
    });
  });

  describe('integrations.get (§2.6)', () => {
    it('finds by id, narrows by createdBy, and checks existence before permission', async () => {
      const created = await createIntegration(admin, incomingBody());
      expect(await get(created._id)).toEqual(asShown(created));
      await admin.get('/api/v1/integrations.get', { integrationId: created._id, createdBy: admin.userId }).expect(200);
      const notFound = { success: false, error: 'The integration does not exists.' };
      expect((await admin.get('/api/v1/integrations.get', { integrationId: created._id, createdBy: 'someone' }).expect(400)).body).toEqual(notFound);
      const bob = await createUser(t, admin);
      expect((await bob.get('/api/v1/integrations.get', { integrationId: 'nope' }).expect(400)).body).toEqual(notFound);
      expect((await bob.get('/api/v1/integrations.get', { integrationId: created._id }).expect(400)).body).toEqual({ success: false, error: 'not-authorized' });
      // Rocket.Chat's newest integrations.get answers from its typed router: no ` [invalid-params]` suffix.
      expect((await admin.get('/api/v1/integrations.get').expect(400)).body).toEqual({
        success: false,
        error: "must have required property 'integrationId'",
        errorType: 'invalid-params',
      });
    });
  });

  describe('integrations.list (§2.4)', () => {
    it('pages, filters by name (case-insensitive substring) and type, and counts', async () => {
      for (const name of ['Alpha Hook', 'alphabet soup', 'Beta']) await createIntegration(admin, incomingBody({ name }));
      await createIntegration(admin, outgoingBody({ name: 'ALPHA out' }));
      const named = await admin.get('/api/v1/integrations.list', { name: 'alpha', count: 100 }).expect(200);
      expect(named.body.integrations.map((i: { name: string }) => i.name).sort()).toEqual(['ALPHA out', 'Alpha Hook', 'alphabet soup']);
      expect(named.body).toMatchObject({ total: 3, count: 3, items: 3, offset: 0, success: true });
      const typed = await admin.get('/api/v1/integrations.list', { name: 'alpha', type: 'webhook-outgoing' }).expect(200);
      expect(typed.body.integrations.map((i: { name: string }) => i.name)).toEqual(['ALPHA out']);
      const special = await admin.get('/api/v1/integrations.list', { name: '%' }).expect(200);
      expect(special.body.total).toBe(0);
      const all = await admin.get('/api/v1/integrations.list', { count: 100 }).expect(200);
      const page = await admin.get('/api/v1/integrations.list', { offset: 1, count: 2 }).expect(200);
      expect(page.body).toMatchObject({ offset: 1, count: 2, items: 2, total: all.body.total });
      expect(page.body.integrations.map((i: { _id: string }) => i._id)).toEqual(all.body.integrations.slice(1, 3).map((i: { _id: string }) => i._id));
      const sorted = await admin.get('/api/v1/integrations.list', { sort: '{"name":1}', count: 100 }).expect(200);
      const names = sorted.body.integrations.map((i: { name: string }) => i.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('refuses callers without any integration permission, and bad queries', async () => {
      const bob = await createUser(t, admin);
      expect((await bob.get('/api/v1/integrations.list').expect(403)).body).toEqual(FORBIDDEN);
      expect((await admin.get('/api/v1/integrations.list', { foo: 'bar' }).expect(400)).body.error).toBe('must NOT have additional properties [invalid-params]');
      await admin.get('/api/v1/integrations.list', { count: 'lots' }).expect(400);
      expect((await admin.get('/api/v1/integrations.list', { sort: '{"token":1}' }).expect(400)).body.errorType).toBe('error-invalid-sort');
    });
  });

  describe('integrations.remove (§2.7)', () => {
    it('removes incoming by id, outgoing by target_url with its history, and answers the document as it was', async () => {
      const incoming = await createIntegration(admin, incomingBody());
      const res = await admin.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: incoming._id }).expect(200);
      expect(res.body).toEqual({ integration: incoming, success: true });
      await admin.get('/api/v1/integrations.get', { integrationId: incoming._id }).expect(400);

      const url = 'http://127.0.0.1:9/remove-me';
      const outgoing = await createIntegration(admin, outgoingBody({ urls: [url] }));
      await addHistory(outgoing);
      await admin.post('/api/v1/integrations.remove', { type: 'webhook-outgoing', target_url: url }).expect(200);
      const left = await t.app.get(DataSource).getRepository(IntegrationHistory).countBy({ integrationId: outgoing._id });
      expect(left).toBe(0);
    });

    it('refuses without permission, reports unknown ones and bad bodies', async () => {
      const incoming = await createIntegration(admin, incomingBody());
      const bob = await createUser(t, admin);
      expect((await bob.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: incoming._id }).expect(403)).body).toEqual(FORBIDDEN);
      expect((await admin.post('/api/v1/integrations.remove', { type: 'webhook-incoming', integrationId: 'nope' }).expect(400)).body.error).toBe('No integration found.');
      expect((await admin.post('/api/v1/integrations.remove', { type: 'webhook-outgoing' }).expect(400)).body.errorType).toBe('invalid-params');
      expect((await admin.post('/api/v1/integrations.remove', { integrationId: incoming._id }).expect(400)).body.errorType).toBe('invalid-params');
      await admin.get('/api/v1/integrations.get', { integrationId: incoming._id }).expect(200);
    });
  });

  describe('history, clearHistory and replayOutgoing (§2.5, §2.8, §2.9)', () => {
    it('lists history newest first with totals, and clears it', async () => {
      const outgoing = await createIntegration(admin, outgoingBody());
      const first = await addHistory(outgoing, { step: 'start-execute-trigger-url' });
      await new Promise((r) => setTimeout(r, 5));
      const second = await addHistory(outgoing, { step: 'after-http-call', updatedAt: new Date(Date.now() + 1000) });
      const res = await admin.get('/api/v1/integrations.history', { id: outgoing._id }).expect(200);
      expect(res.body).toMatchObject({ offset: 0, items: 2, count: 2, total: 2, success: true });
      expect(res.body.history.map((h: { _id: string }) => h._id)).toEqual([second, first]);
      expect(res.body.history[0]).toMatchObject({ type: 'outgoing-webhook', step: 'after-http-call', event: 'sendMessage', integration: { _id: outgoing._id } });
      expect((await admin.post('/api/v1/integrations.clearHistory', { integrationId: outgoing._id }).expect(200)).body).toEqual({ success: true });
      expect((await admin.get('/api/v1/integrations.history', { id: outgoing._id }).expect(200)).body.total).toBe(0);
    });

    it('answers Rocket.Chat’s errors for history and clearHistory', async () => {
      expect((await admin.get('/api/v1/integrations.history', { id: '   ' }).expect(400)).body).toEqual({ success: false, error: 'Invalid integration id.' });
      expect((await admin.get('/api/v1/integrations.history').expect(400)).body.error).toBe("must have required property 'id' [invalid-params]");
      const bob = await createUser(t, admin);
      expect((await bob.get('/api/v1/integrations.history', { id: 'x' }).expect(403)).body).toEqual(FORBIDDEN);
      expect((await bob.post('/api/v1/integrations.clearHistory', { integrationId: 'x' }).expect(400)).body).toEqual(meteorError('not_authorized', 'Unauthorized'));
      expect((await admin.post('/api/v1/integrations.clearHistory', { integrationId: 'nope' }).expect(400)).body).toEqual(
        meteorError('error-invalid-integration', 'Invalid integration'),
      );
      expect((await admin.post('/api/v1/integrations.clearHistory', {}).expect(400)).body.error).toBe("must have required property 'integrationId' [invalid-params]");
    });

    it('validates replayOutgoing (integration, history, type, data) and delivers the recorded data again', async () => {
      const sink = await Sink.start();
      const outgoing = await createIntegration(admin, outgoingBody({ urls: [`${sink.url}/replayed`], token: 'tok' }));
      const historyId = await addHistory(outgoing, { data: { text: 'again', channel_id: 'GENERAL' } });
      expect((await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id, historyId }).expect(200)).body).toEqual({ success: true });
      const [arrived] = await eventually(async () => sink.received, (r) => r.length === 1);
      expect(JSON.parse(arrived.body)).toEqual({ token: 'tok', text: 'again', channel_id: 'GENERAL' });
      const urlless = await addHistory(outgoing, { url: null });
      await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id, historyId: urlless }).expect(200);
      await settle();
      expect(sink.received).toHaveLength(1);
      await sink.close();
      expect((await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: 'nope', historyId }).expect(400)).body).toEqual({
        ...meteorError('error-invalid-integration', 'Invalid integration'),
        details: { method: 'replayOutgoingIntegration' },
      });
      expect((await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id, historyId: 'nope' }).expect(400)).body).toMatchObject(
        meteorError('error-invalid-integration-history', 'Invalid Integration History'),
      );
      const dataless = await addHistory(outgoing, { data: null });
      expect((await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id, historyId: dataless }).expect(400)).body.errorType).toBe(
        'history-data-must-be-defined',
      );
      const incoming = await createIntegration(admin, incomingBody());
      const foreign = await addHistory({ ...incoming, urls: ['http://x'] });
      expect((await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: incoming._id, historyId: foreign }).expect(400)).body.errorType).toBe(
        'integration-type-must-be-outgoing',
      );
      const bob = await createUser(t, admin);
      expect((await bob.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id, historyId }).expect(400)).body.errorType).toBe('not_authorized');
      await admin.post('/api/v1/integrations.replayOutgoing', { integrationId: outgoing._id }).expect(400);
    });
  });

  describe('channels.getIntegrations / groups.getIntegrations', () => {
    it('lists the integrations aimed at a room, by id or name, with all_public_channels unless told not to', async () => {
      const room = (await admin.post('/api/v1/channels.create', { name: 'watched' }).expect(200)).body.channel;
      const byName = await createIntegration(admin, incomingBody({ channel: '#watched' }));
      const byId = await createIntegration(admin, outgoingBody({ channel: `#${room._id}` }));
      const everywhere = await createIntegration(admin, outgoingBody({ channel: 'all_public_channels' }));
      await createIntegration(admin, incomingBody({ channel: '#general' }));
      const res = await admin.get('/api/v1/channels.getIntegrations', { roomId: room._id, count: 100 }).expect(200);
      expect(res.body.integrations.map((i: { _id: string }) => i._id).sort()).toEqual([byName._id, byId._id, everywhere._id].sort());
      const exact = await admin.get('/api/v1/channels.getIntegrations', { roomId: room._id, includeAllPublicChannels: 'false' }).expect(200);
      expect(exact.body.total).toBe(2);
      const group = (await admin.post('/api/v1/groups.create', { name: 'watched-group' }).expect(200)).body.group;
      const inGroup = await createIntegration(admin, incomingBody({ channel: '#watched-group' }));
      const groupRes = await admin.get('/api/v1/groups.getIntegrations', { roomId: group._id }).expect(200);
      expect(groupRes.body.integrations.map((i: { _id: string }) => i._id)).toEqual([inGroup._id]);
      const bob = await createUser(t, admin);
      expect((await bob.get('/api/v1/channels.getIntegrations', { roomId: room._id }).expect(403)).body).toEqual(FORBIDDEN);
      await admin.get('/api/v1/channels.getIntegrations').expect(400);
      await admin.get('/api/v1/channels.getIntegrations', { roomId: 'nope' }).expect(400);
    });
  });
});
