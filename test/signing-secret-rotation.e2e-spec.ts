import { Webhook } from 'standardwebhooks';
import { Client } from './support/api';
import { DeliveringApp, outgoingInNewRoom, startDeliveringApp, stopDeliveringApp } from './support/delivering-app';
import { eventually } from './support/eventually';
import { meteorError } from './support/integrations';
import { Sink } from './support/sink';
import { databaseKind } from './support/test-app';

/** integrations.rotateSigningSecret: receivers switch secrets without losing a delivery. */
describe(`signing-secret rotation (${databaseKind})`, () => {
  let app: DeliveringApp;
  let admin: Client;
  let sink: Sink;

  beforeAll(async () => {
    ({ admin, sink } = app = await startDeliveringApp());
  });
  afterAll(() => stopDeliveringApp(app));

  const setUp = async () => {
    const { room, integration, path } = await outgoingInNewRoom(app, 'rotating');
    const deliver = async (text: string) => {
      const before = sink.at(path).length;
      await admin.post('/api/v1/chat.postMessage', { roomId: room._id, text }).expect(200);
      const arrivals = await eventually(async () => sink.at(path), (a) => a.length === before + 1);
      return arrivals[before];
    };
    return { integration, deliver };
  };
  const verifies = (secret: string, arrival: { body: string; headers: Record<string, unknown> }) => {
    try {
      new Webhook(secret).verify(arrival.body, arrival.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };

  it('signs with the new and the old secret during the overlap, then with the new one only', async () => {
    const { integration, deliver } = await setUp();
    const old = integration.signingSecret as string;
    const started = Date.now();
    const rotated = await admin.post('/api/v1/integrations.rotateSigningSecret', { integrationId: integration._id, keepOldForSeconds: 2 }).expect(200);
    expect(rotated.body).toEqual({ signingSecret: expect.stringMatching(/^whsec_/), previousSigningSecretExpiresAt: expect.any(String), success: true });
    const fresh = rotated.body.signingSecret as string;
    expect(fresh).not.toBe(old);
    const expires = Date.parse(rotated.body.previousSigningSecretExpiresAt);
    expect(expires - started).toBeGreaterThanOrEqual(1900);
    expect(expires - started).toBeLessThan(4000);

    const during = await deliver('during the overlap');
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([verifies(fresh, during), verifies(old, during)]).toEqual([true, true]);

    await new Promise((r) => setTimeout(r, Math.max(0, expires - Date.now() + 100)));
    const after = await deliver('after the overlap');
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect([verifies(fresh, after), verifies(old, after)]).toEqual([true, false]);
  });

  it('drops the old secret at once with keepOldForSeconds 0, and never shows a secret again', async () => {
    const { integration, deliver } = await setUp();
    const rotated = await admin.post('/api/v1/integrations.rotateSigningSecret', { integrationId: integration._id, keepOldForSeconds: 0 }).expect(200);
    expect(rotated.body.previousSigningSecretExpiresAt).toBeNull();
    const arrival = await deliver('right after');
    expect([verifies(rotated.body.signingSecret, arrival), verifies(integration.signingSecret, arrival)]).toEqual([true, false]);
    const got = await admin.get('/api/v1/integrations.get', { integrationId: integration._id }).expect(200);
    expect(JSON.stringify(got.body)).not.toContain(rotated.body.signingSecret);
    expect(JSON.stringify(got.body)).not.toContain(integration.signingSecret);
    expect(got.body.integration._updatedBy).toMatchObject({ _id: admin.userId });
  });

  it('keeps a day of overlap by default', async () => {
    const { integration } = await setUp();
    const rotated = await admin.post('/api/v1/integrations.rotateSigningSecret', { integrationId: integration._id }).expect(200);
    const overlap = Date.parse(rotated.body.previousSigningSecretExpiresAt) - Date.now();
    expect(overlap).toBeGreaterThan(86_300_000);
    expect(overlap).toBeLessThanOrEqual(86_400_000);
  });

  it.each([
    ['no integrationId', {}, /must have required property 'integrationId'/],
    ['a negative overlap', { integrationId: 'x', keepOldForSeconds: -1 }, /must be >= 0/],
    ['an overlap over 30 days', { integrationId: 'x', keepOldForSeconds: 30 * 86_400 + 1 }, /must be <= 2592000/],
    ['a fractional overlap', { integrationId: 'x', keepOldForSeconds: 1.5 }, /must be integer/],
    ['an unknown field', { integrationId: 'x', secret: 'mine' }, /must NOT have additional properties/],
  ])('refuses %s', async (_, body, message) => {
    const res = await admin.post('/api/v1/integrations.rotateSigningSecret', body).expect(400);
    expect(res.body).toEqual({ success: false, error: expect.stringMatching(message), errorType: 'invalid-params' });
  });

  it('refuses an unknown integration', async () => {
    const res = await admin.post('/api/v1/integrations.rotateSigningSecret', { integrationId: 'no-such-integration' }).expect(400);
    expect(res.body).toEqual(meteorError('error-invalid-integration', 'Invalid integration'));
  });
});
