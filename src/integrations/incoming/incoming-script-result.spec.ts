import { readIncomingScriptResult } from './incoming-script-result';

describe('process_incoming_request results', () => {
  it.each([
    [undefined, { kind: 'nothing' }],
    [false, { kind: 'nothing' }],
    [0, { kind: 'nothing' }],
    ['text', { kind: 'failed', error: 'error-running-script' }],
    [{ error: 'bad payload' }, { kind: 'failed', error: 'bad payload' }],
    [{ error: { code: 7 }, content: { text: 'x' } }, { kind: 'failed', error: { code: 7 } }],
    [{ content: 'text' }, { kind: 'failed', error: 'error-running-script' }],
    [{ content: null }, { kind: 'failed', error: 'error-running-script' }],
    [{ content: { text: 'hi' } }, { kind: 'post', content: { text: 'hi' } }],
    [{ content: { text: 'hi' }, response: { ok: 1 }, user: { username: 'bob' } }, { kind: 'post', content: { text: 'hi' }, response: { ok: 1 }, user: { username: 'bob' } }],
    [{ content: { text: 'hi' }, response: 'not an object' }, { kind: 'post', content: { text: 'hi' } }],
  ])('reads %j as %j', (result, meaning) => {
    expect(readIncomingScriptResult(result)).toEqual(meaning);
  });

  it('copies the content, so the caller may add to it', () => {
    const content = { text: 'hi' };
    const read = readIncomingScriptResult({ content });
    expect(read.kind === 'post' && read.content).not.toBe(content);
  });
});
