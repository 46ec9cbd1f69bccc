import { ApiError } from '../core/http/api-error';
import { fieldErrorOf, inputFromForm } from './integration-form';
import { scriptErrorPosition } from './script-error-position';

describe('integration forms', () => {
  it('turns an outgoing form into the API body: checkboxes, lists, optional fields, secrets', () => {
    const input = inputFromForm('webhook-outgoing', {
      name: ' Deploys ',
      enabled: 'on',
      channel: '#general, @bob',
      username: 'rocket.cat',
      event: 'sendMessage',
      urls: 'https://a.example/hook\r\n\r\n  https://b.example/hook  ',
      triggerWords: 'deploy, , ship',
      retryCount: '3',
      alias: '   ',
      secrets: 'TOKEN=abc=def\nEMPTY',
      removeSecret: ['OLD', 'GONE'],
    });
    expect(input).toMatchObject({
      type: 'webhook-outgoing',
      name: 'Deploys',
      enabled: true,
      scriptEnabled: false,
      channel: '#general, @bob',
      urls: ['https://a.example/hook', 'https://b.example/hook'],
      triggerWords: ['deploy', 'ship'],
      retryCount: 3,
      alias: undefined,
      secrets: { TOKEN: 'abc=def', EMPTY: '', OLD: null, GONE: null },
    });
  });

  it('reads repeated or missing fields as empty, and a retry count that is no number as unset', () => {
    const input = inputFromForm('webhook-outgoing', { name: ['a', 'b'], retryCount: 'many', enabled: ['on'] });
    expect(input).toMatchObject({ name: '', retryCount: undefined, enabled: false, secrets: undefined });
    expect(inputFromForm('webhook-incoming', { hookHistory: 'everything' })).toMatchObject({ hookHistory: null, overrideDestinationChannelEnabled: false });
  });

  it.each([
    ['channel', ApiError.meteor('error-invalid-room', 'Invalid room')],
    ['channel', ApiError.meteor('error-invalid-channel-start-with-chars', 'Invalid channel. Start with @ or #')],
    ['username', ApiError.meteor('error-invalid-user', 'Invalid user')],
    ['token', ApiError.meteor('error-invalid-token', 'Invalid token')],
    ['name', ApiError.invalidParams(["must have required property 'name'"])],
    ['retryCount', ApiError.invalidParams(['/retryCount must be number'])],
    ['secrets', ApiError.failure('Secret name "a b" must be …')],
    ['form', ApiError.failure('Something else')],
  ])('shows the error at the field %s', (field, error) => {
    expect(fieldErrorOf(error)).toEqual({ field, message: error.message });
  });

  it.each([
    [{ message: 'unknown: Unexpected token (3:30)' }, { line: 3, column: 31 }],
    [{ message: 'Unexpected token', stack: 'SyntaxError: Unexpected token\n    at integration-script.js:5:7' }, { line: 4, column: 7 }],
    [{ message: 'no position' }, null],
    [null, null],
  ])('finds the line and column of %j', (error, position) => {
    expect(scriptErrorPosition(error)).toEqual(position);
  });
});
