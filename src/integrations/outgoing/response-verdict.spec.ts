import { classify, ResponseVerdict } from './response-verdict';

describe('classify: what a target answer means (Rocket.Chat steps 17–18)', () => {
  const cases: [number, string, ResponseVerdict][] = [
    [200, 'ok', 'ok'],
    [201, '{}', 'ok'],
    [202, 'queued', 'ok'],
    [200, '', 'retry'],
    [204, '', 'retry'],
    [203, 'x', 'retry'],
    [301, 'moved', 'retry'],
    [400, 'bad', 'retry'],
    [404, 'nope', 'retry'],
    [410, 'gone', 'disable'],
    [410, '', 'retry'],
    [500, 'boom', 'final'],
    [500, '', 'retry'],
    [502, 'bad gateway', 'retry'],
    [503, 'later', 'retry'],
  ];
  it.each(cases)('%i with body %j is %s', (status, body, verdict) => {
    expect(classify(status, body)).toBe(verdict);
  });
});
