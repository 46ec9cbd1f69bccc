import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { newMessageId, newSigningSecret, signatureHeaders, signingSecrets } from './request-signer';

describe('request signing (Standard Webhooks)', () => {
  const secret = newSigningSecret();
  const at = new Date('2026-11-30T12:00:00Z');

  it('makes secrets of 24 random bytes behind whsec_', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('makes message ids that are UUIDv7s, ordered by time', () => {
    const early = newMessageId(Date.parse('2026-01-01T00:00:00Z'));
    const late = newMessageId(Date.parse('2026-06-01T00:00:00Z'));
    for (const id of [early, late]) expect(id).toMatch(/^msg_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(early < late).toBe(true);
  });

  const bodies: [string, string][] = [
    ['a JSON body', '{"text":"hi"}'],
    ['an empty body', ''],
    ['a body with non-ASCII text', '{"text":"grüße 👋"}'],
  ];
  it.each(bodies)('signs %s as the specification says: v1, HMAC-SHA256 of "id.timestamp.body"', (_, body) => {
    const headers = signatureHeaders([secret], 'msg_1', body, at);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.${at.getTime() / 1000}.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it.each(bodies)('signs %s exactly as the reference package does', (_, body) => {
    expect(signatureHeaders([secret], 'msg_7', body, at)['webhook-signature']).toBe(new Webhook(secret).sign('msg_7', at, body));
  });

  it('a signature changes with the body, the id, the time and the secret', () => {
    const base = signatureHeaders([secret], 'msg_1', 'a', at)['webhook-signature'];
    expect(signatureHeaders([secret], 'msg_1', 'b', at)['webhook-signature']).not.toBe(base);
    expect(signatureHeaders([secret], 'msg_2', 'a', at)['webhook-signature']).not.toBe(base);
    expect(signatureHeaders([secret], 'msg_1', 'a', new Date(at.getTime() + 1000))['webhook-signature']).not.toBe(base);
    expect(signatureHeaders([newSigningSecret()], 'msg_1', 'a', at)['webhook-signature']).not.toBe(base);
  });

  it('a fresh signature verifies with the reference verifier', () => {
    const body = '{"ok":true}';
    const headers = signatureHeaders([secret], 'msg_9', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ ok: true });
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it('during a rotation signs with both secrets, space-separated, and either verifies', () => {
    const old = newSigningSecret();
    const body = '{"rotating":true}';
    const headers = signatureHeaders([secret, old], 'msg_r', body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ rotating: true });
    expect(new Webhook(old).verify(body, headers)).toEqual({ rotating: true });
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it.each([
    ['no rotation', { previousSigningSecret: null, previousSigningSecretExpiresAt: null }, ['new']],
    ['a rotated-out secret before it expires', { previousSigningSecret: 'old', previousSigningSecretExpiresAt: new Date(at.getTime() + 1) }, ['new', 'old']],
    ['a rotated-out secret once it expired', { previousSigningSecret: 'old', previousSigningSecretExpiresAt: at }, ['new']],
  ])('signs with %s', (_, rotation, expected) => {
    expect(signingSecrets({ signingSecret: 'new', ...rotation }, at)).toEqual(expected);
  });
});
