import { summariseAttempts } from './attempt-summary';

const at = (time: string) => new Date(`2026-11-30T${time}Z`);
const ok = (id: string, time: string) => ({ integrationId: id, at: at(time), ok: true });
const failed = (id: string, time: string, failure?: string) => ({ integrationId: id, at: at(time), ok: false, ...(failure ? { failure } : {}) });

describe('summariseAttempts', () => {
  it('counts attempts and failures per integration and 5-minute bucket', () => {
    const { buckets } = summariseAttempts([ok('a', '10:00:00.000'), failed('a', '10:04:59.999'), ok('a', '10:05:00.000'), failed('b', '10:01:00.000')]);
    expect(buckets).toEqual([
      { integration_id: 'a', bucket: '2026-11-30T10:00:00.000Z', attempts: 2, failures: 1 },
      { integration_id: 'a', bucket: '2026-11-30T10:05:00.000Z', attempts: 1, failures: 0 },
      { integration_id: 'b', bucket: '2026-11-30T10:00:00.000Z', attempts: 1, failures: 1 },
    ]);
  });

  it.each([
    {
      case: 'only successes: the last one, no run of failures',
      facts: [ok('a', '10:00:01.000'), ok('a', '10:00:03.000'), ok('a', '10:00:02.000')],
      health: { last_success_at: '2026-11-30T10:00:03.000Z', last_failure_at: null, last_failure: null, failing_since: null, failures_since: 0 },
    },
    {
      case: 'only failures: the run starts at the first and counts them all; the newest failure is the one named',
      facts: [failed('a', '10:00:02.000', 'answered 503'), failed('a', '10:00:01.000', 'answered 500'), failed('a', '10:00:03.000')],
      health: { last_success_at: null, last_failure_at: '2026-11-30T10:00:03.000Z', last_failure: 'failed', failing_since: '2026-11-30T10:00:01.000Z', failures_since: 3 },
    },
    {
      case: 'failures after the last success form the run; those before it do not count',
      facts: [failed('a', '10:00:01.000', 'x'), ok('a', '10:00:02.000'), failed('a', '10:00:03.000', 'y'), failed('a', '10:00:04.000', 'z')],
      health: { last_success_at: '2026-11-30T10:00:02.000Z', last_failure_at: '2026-11-30T10:00:04.000Z', last_failure: 'z', failing_since: '2026-11-30T10:00:03.000Z', failures_since: 2 },
    },
    {
      case: 'a success after every failure ends the run',
      facts: [failed('a', '10:00:01.000', 'x'), ok('a', '10:00:02.000')],
      health: { last_success_at: '2026-11-30T10:00:02.000Z', last_failure_at: '2026-11-30T10:00:01.000Z', last_failure: 'x', failing_since: null, failures_since: 0 },
    },
  ])('health: $case', ({ facts, health }) => {
    expect(summariseAttempts(facts).health).toEqual([{ integration_id: 'a', ...health }]);
  });

  it('keeps failure texts storable and short', () => {
    const [health] = summariseAttempts([failed('a', '10:00:00.000', `bad\u0000${'x'.repeat(600)}`)]).health;
    expect(health.last_failure).toHaveLength(500);
    expect(health.last_failure).not.toContain('\u0000');
  });

  it('keeps integrations apart', () => {
    expect(summariseAttempts([ok('a', '10:00:00.000'), failed('b', '10:00:00.000', 'x')]).health.map((h) => [h.integration_id, h.failures_since])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });
});
