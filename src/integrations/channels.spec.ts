import { ApiError } from '../core/http/api-error';
import { parseIncomingChannels, parseOutgoingChannels } from './channels';

const codeOf = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    return ApiError.is(error) ? error.code : 'not an ApiError';
  }
  return 'no error';
};

describe('parseIncomingChannels (spec §3.1)', () => {
  it.each([
    ['#general', ['#general']],
    [' #a , @bob ', ['#a', '@bob']],
  ])('%p → %p', (channel, parts) => expect(parseIncomingChannels(channel)).toEqual(parts));

  it.each([
    [undefined, 'error-invalid-channel'],
    ['   ', 'error-invalid-channel'],
    [42, 'error-invalid-channel'],
    ['general', 'error-invalid-channel-start-with-chars'],
    ['#a,,#b', 'error-invalid-channel-start-with-chars'],
  ])('%p is refused with %s', (channel, code) => expect(codeOf(() => parseIncomingChannels(channel))).toBe(code));
});

describe('parseOutgoingChannels (spec §3.2)', () => {
  it.each([
    ['#a, @b,,', ['#a', '@b']],
    ['all_public_channels', ['all_public_channels']],
    ['All_Private_Groups', ['All_Private_Groups']],
    ['', []],
  ])('%p → %p', (channel, parts) => expect(parseOutgoingChannels(channel)).toEqual(parts));

  it.each([
    [undefined, 'error-invalid-channel'],
    [['#a'], 'error-invalid-channel'],
    ['general', 'error-invalid-channel-start-with-chars'],
    ['#a, everyone', 'error-invalid-channel-start-with-chars'],
  ])('%p is refused with %s', (channel, code) => expect(codeOf(() => parseOutgoingChannels(channel))).toBe(code));
});
