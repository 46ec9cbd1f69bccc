import { requestBodyDecoded, responseAsSent } from './shown-bodies';

describe('bodies as the history page shows them', () => {
  it.each([
    ['a JSON answer, pretty', JSON.stringify({ text: 'sink got it' }, null, 2), '{\n  "text": "sink got it"\n}'],
    ['a text answer stored as a JSON string, unquoted', JSON.stringify('plain words'), 'plain words'],
    ['a JSON answer the target sent as text, unescaped and pretty', JSON.stringify('{"text":"sink got it"}'), '{\n  "text": "sink got it"\n}'],
    ['something that is not JSON at all, as it is', 'not json', 'not json'],
  ])('response: %s', (_, stored, shown) => {
    expect(responseAsSent(stored)).toBe(shown);
  });

  it.each([
    ["a Slack-style form's payload, as its JSON", 'payload=%7B%22text%22%3A%22hi+there%22%7D', 'application/x-www-form-urlencoded', '{\n  "text": "hi there"\n}'],
    ['form fields, decoded one per line', 'text=hi%20there&channel=%23general', 'application/x-www-form-urlencoded; charset=utf-8', 'text = hi there\nchannel = #general'],
    ['JSON, pretty', '{"text":"hi"}', 'application/json', '{\n  "text": "hi"\n}'],
    ['anything else as it came', 'raw', 'text/plain', 'raw'],
  ])('incoming body: %s', (_, body, type, shown) => {
    expect(requestBodyDecoded(body, type)).toBe(shown);
  });
});
