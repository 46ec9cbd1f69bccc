import { recordedHeaders } from './recorded-headers';

describe('recordedHeaders: what the history keeps of a request', () => {
  it.each([
    ['a credential keeps its scheme only', { Authorization: 'Bearer sk_live_123' }, { authorization: 'Bearer ***' }],
    ['a basic credential', { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Basic ***' }],
    ['cookies', { Cookie: 'session=abc' }, { cookie: '***' }],
    ['names that say token, key or secret', { 'X-Auth-Token': 'abc', 'X-API-Key': 'k', 'X-GitLab-Token': 't', 'X-Hub-Secret': 's' }, { 'x-auth-token': '***', 'x-api-key': '***', 'x-gitlab-token': '***', 'x-hub-secret': '***' }],
    ['the signature headers whole', { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,abc=' }, { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,abc=' }],
    ['ordinary headers as sent, repeated ones joined', { 'Content-Type': 'application/json', 'X-Forwarded-For': ['1.2.3.4', '5.6.7.8'] }, { 'content-type': 'application/json', 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }],
    ['absent values left out', { 'x-nothing': undefined }, {}],
  ])('%s', (_, headers, kept) => {
    expect(recordedHeaders(headers)).toEqual(kept);
  });
});
