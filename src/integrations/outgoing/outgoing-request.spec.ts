import { defaultRequest, PreparedRequest, requestBody, requestHeaders } from './outgoing-request';

describe('requestBody: what is sent', () => {
  const cases: [unknown, string | undefined][] = [
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['raw text', 'raw text'],
    ['{"a":1}', '{"a":1}'],
    [{ a: 1, b: [true] }, '{"a":1,"b":[true]}'],
    [[1, 2], '[1,2]'],
    [0, '0'],
    [false, 'false'],
  ];
  it.each(cases)('%p → %p', (data, body) => {
    expect(requestBody(data)).toBe(body);
  });
});

describe('requestHeaders: the headers sent', () => {
  const cases: [string, PreparedRequest, string | undefined, Record<string, string> | undefined][] = [
    ['a body gets a JSON content type', {}, '{}', { 'Content-Type': 'application/json' }],
    ['no body, no content type', {}, undefined, {}],
    ["the script's own content type is kept (any case)", { headers: { 'content-type': 'text/plain' } }, 'x', { 'content-type': 'text/plain' }],
    ['auth becomes Basic authorization', { auth: 'user:pa:ss' }, undefined, { Authorization: `Basic ${Buffer.from('user:pa:ss').toString('base64')}` }],
    ['auth without a colon is refused', { auth: 'token' }, undefined, undefined],
    ['auth that is not a string is refused', { auth: 42 as unknown as string }, undefined, undefined],
    ['empty auth is no auth', { auth: '' }, undefined, {}],
  ];
  it.each(cases)('%s', (_, request, body, headers) => {
    expect(requestHeaders(request, body)).toEqual(headers);
  });

  it('the default request posts the data with a browser user agent', () => {
    const request = defaultRequest('https://example.com/h', { text: 'hi' });
    expect(request).toMatchObject({ method: 'POST', url: 'https://example.com/h', data: { text: 'hi' }, params: {} });
    expect(request.headers?.['User-Agent']).toMatch(/^Mozilla\/5\.0/);
  });
});
