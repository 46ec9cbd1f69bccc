import { counted, eventLabel, stepWords } from './plain-words';

describe('plain words for the admin UI', () => {
  it.each([
    [0, 'call', undefined, '0 calls'],
    [1, 'call', undefined, '1 call'],
    [2, 'call', undefined, '2 calls'],
    [1, 'delivery', 'deliveries', '1 delivery'],
    [3, 'delivery', 'deliveries', '3 deliveries'],
  ])('counted(%p, %p) reads %p', (n, singular, plural, expected) => {
    expect(counted(n, singular, plural)).toBe(expected);
  });

  it.each([
    ['going-to-retry-3', 'Failed; retry 3 is coming'],
    ['url-response-sent-message', "Delivered; the target's answer was posted as a message"],
    ['execute-script-error-running-prepare_outgoing_request', "The script's prepare_outgoing_request failed"],
    ['after-process-http-status-410', 'The target answered 410 Gone: integration disabled'],
    ['something-new', 'something-new'],
  ])('step %p reads %p', (step, words) => {
    expect(stepWords(step)).toBe(words);
  });

  it('names events as Rocket.Chat admin does, unknown ones as they are', () => {
    expect(eventLabel('sendMessage')).toBe('Message Sent');
    expect(eventLabel('roomJoined')).toBe('User Joined Room');
    expect(eventLabel('other')).toBe('other');
  });
});
