import { ApiError } from '../../core/http/api-error';
import { hookBody } from './hook-body';

const FORM = 'application/x-www-form-urlencoded';
const raw = (text: string) => Buffer.from(text, 'utf8');

describe('hookBody: the message a hook request carries (spec §4.3)', () => {
  it.each([
    ['a JSON object as it is', 'POST', 'application/json', { text: 'hi' }, undefined, {}, { text: 'hi' }],
    ['a JSON array as it is', 'POST', 'application/json', [{ text: 'a' }], undefined, {}, [{ text: 'a' }]],
    ['GET: the query string', 'GET', undefined, undefined, undefined, { text: 'from query' }, { text: 'from query' }],
    ["Slack's payload=<json>", 'POST', FORM, { payload: '{"text":"slack"}' }, undefined, {}, { text: 'slack' }],
    ['JSON sent with a form type: parsed from the raw body', 'POST', `${FORM}; charset=utf-8`, { '{"text":"x"}': '' }, raw('{"text":"x"}'), {}, { text: 'x' }],
    ['other forms: their fields', 'POST', FORM, { text: 'a', alias: 'b' }, undefined, {}, { text: 'a', alias: 'b' }],
    ['no body', 'POST', 'application/json', undefined, undefined, {}, undefined],
    ['a null body', 'POST', 'application/json', null, undefined, {}, undefined],
  ])('%s', (_, method, type, parsed, rawBody, query, expected) => {
    expect(hookBody(method, type, parsed, rawBody, query)).toEqual(expected);
  });

  it.each([
    ['a JSON scalar', 'POST', 'application/json', 42, undefined],
    ['a payload that is not JSON', 'POST', FORM, { payload: '{not json' }, undefined],
    ['a payload that is a JSON scalar', 'POST', FORM, { payload: '"text"' }, undefined],
  ])('refuses %s with a 400 failure', (_, method, type, parsed, rawBody) => {
    const attempt = () => hookBody(method, type, parsed, rawBody, {});
    expect(attempt).toThrow(ApiError);
    try {
      attempt();
    } catch (error) {
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).body.success).toBe(false);
    }
  });
});
