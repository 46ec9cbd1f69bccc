import { randomBytes } from 'node:crypto';
import { ApiError } from '../../core/http/api-error';
import { SecretCipher } from './secret-cipher';
import { planSecrets } from './secret-rules';

describe('planSecrets: what a request does to an integration’s secrets', () => {
  it.each([
    ['absent: nothing changes', undefined, ['B', 'A'], { set: [], remove: [], names: ['A', 'B'] }],
    ['null: nothing changes', null, ['A'], { set: [], remove: [], names: ['A'] }],
    ['a value sets, null deletes', { C: 'c', A: null }, ['A', 'B'], { set: [['C', 'c']], remove: ['A'], names: ['B', 'C'] }],
    ['deleting a name that is not there is harmless', { Z: null }, [], { set: [], remove: ['Z'], names: [] }],
    ['an empty string is a value', { E: '' }, [], { set: [['E', '']], remove: [], names: ['E'] }],
  ])('%s', (_, input, current, expected) => {
    const plan = planSecrets(input, current);
    expect({ set: [...plan.set], remove: plan.remove, names: plan.names }).toEqual(expected);
  });

  it.each([
    [{ lower: 'v' }],
    [{ _X: 'v' }],
    [{ 'A-B': 'v' }],
    [{ A: 1 }],
    [{ A: { nested: true } }],
    [{ A: 'x'.repeat(4097) }],
    [['A']],
    ['A=1'],
  ])('refuses %p', (input) => {
    let thrown: unknown;
    try {
      planSecrets(input, []);
    } catch (error) {
      thrown = error;
    }
    expect(ApiError.is(thrown, 'error-invalid-secret')).toBe(true);
  });

  it('counts the names after the change against the limit of 50', () => {
    const current = Array.from({ length: 50 }, (_, i) => `K${i}`);
    expect(() => planSecrets({ ONE_MORE: 'v' }, current)).toThrow(/at most 50/);
    expect(planSecrets({ ONE_MORE: 'v', K0: null }, current).names).toHaveLength(50);
  });
});

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('opens what it sealed, in its slot only, and seals the same value differently each time', () => {
    const sealed = cipher.seal('value ✓', 'int1/API_KEY');
    expect(cipher.open(sealed, 'int1/API_KEY')).toBe('value ✓');
    expect(cipher.seal('value ✓', 'int1/API_KEY')).not.toBe(sealed);
    expect(() => cipher.open(sealed, 'int2/API_KEY')).toThrow();
    expect(() => new SecretCipher(randomBytes(32)).open(sealed, 'int1/API_KEY')).toThrow();
    const tampered = Buffer.from(sealed, 'base64');
    tampered[tampered.length - 1] ^= 1;
    expect(() => cipher.open(tampered.toString('base64'), 'int1/API_KEY')).toThrow();
  });
});
