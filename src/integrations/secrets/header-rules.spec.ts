import { ApiError } from '../../core/http/api-error';
import { planHeaders, withCustomHeaders, withSecretsFilledIn } from './header-rules';

const refusal = (input: unknown, current: string[] = [], secrets: string[] = []) => {
  try {
    planHeaders(input, current, secrets);
    return 'accepted';
  } catch (error) {
    return ApiError.is(error) ? `${error.status} ${error.message}` : String(error);
  }
};

describe('planHeaders: an outgoing integration’s own headers', () => {
  it('sets, keeps and removes by name, in lower case', () => {
    const plan = planHeaders({ Authorization: 'Bearer x', 'X-Old': null }, ['x-old', 'x-kept'], []);
    expect([...plan.set.entries()]).toEqual([['authorization', 'Bearer x']]);
    expect(plan.remove).toEqual(['x-old']);
    expect(plan.names).toEqual(['authorization', 'x-kept']);
    expect(planHeaders(undefined, ['x-kept'], []).names).toEqual(['x-kept']);
  });

  // Each refusal over HTTP is in test/custom-headers.e2e-spec.ts; these are the rest.
  it.each([
    ['a value that is not text', { 'X-A': 5 }, 'must be a string or null'],
    ['the same name twice, in two cases', { 'X-A': '1', 'x-a': '2' }, 'is given twice'],
    ['a hop-by-hop header', { Connection: 'close' }, 'Hookline sets the Connection header itself'],
    ['a tab-free control character', { 'X-A': 'a\u0007b' }, 'may not hold a line break, NUL'],
    ['not an object', ['x'], 'headers must be an object'],
  ])('refuses %s with a 400 that says why', (_, input, message) => {
    expect(refusal(input)).toMatch(new RegExp(`^400 .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('accepts Content-Type and a known secret reference', () => {
    expect(refusal({ 'Content-Type': 'application/x-www-form-urlencoded', 'X-Key': 'Token {{secret:API_KEY}}' }, [], ['API_KEY'])).toBe('accepted');
  });

  it('fills in secret references at send time', () => {
    expect(withSecretsFilledIn({ 'x-key': 'Token {{secret:API_KEY}}', plain: 'p' }, { SECRET_API_KEY: 'k1' })).toEqual({ 'x-key': 'Token k1', plain: 'p' });
  });

  it('puts its own headers over the defaults and under what a script set', () => {
    const defaults = { 'User-Agent': 'RC' };
    expect(withCustomHeaders({ 'User-Agent': 'RC' }, defaults, { 'user-agent': 'Mine', authorization: 'Bearer a' })).toEqual({ 'user-agent': 'Mine', authorization: 'Bearer a' });
    expect(withCustomHeaders({ 'User-Agent': 'RC', Authorization: 'Bearer script' }, defaults, { authorization: 'Bearer a' })).toEqual({ 'User-Agent': 'RC', Authorization: 'Bearer script' });
  });
});
