import { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe } from '../../core/http/validation';
import { PostMessageDto } from './post-message.dto';

/** The same rules without the glance: what class-validator alone says. */
class FullyChecked extends PostMessageDto {
  static override accepts = undefined as unknown as typeof PostMessageDto.accepts;
}

const pipe = createValidationPipe();
const asBody = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** What class-validator makes of `body`: the object the handler gets, or the error. */
async function fullCheck(body: unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await pipe.transform(structuredClone(body), asBody(FullyChecked)) };
  } catch (error) {
    return { error };
  }
}

/** Values of every kind, right and wrong for each field. */
const VALUES: unknown[] = ['#general', '', 'text', ['#a', '#b'], [], [''], ['#a', 3], 0, 12, true, false, null, {}, { a: 1 }, [{}], [{ title: 't' }, {}], [{ a: 1 }, 'x'], [null], [[]], { length: 1 }];
const NAMES = ['roomId', 'channel', 'text', 'alias', 'emoji', 'avatar', 'tmid', 'parseUrls', 'groupable', 'customFields', 'attachments', 'msg', 'extra', '__proto__', 'constructor'];

/** A deterministic pseudo-random sequence, so a failure names a body that can be replayed. */
function* bodies(count: number): Generator<unknown> {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const fields = 1 + next(4);
    const json = `{${Array.from({ length: fields }, () => `${JSON.stringify(NAMES[next(NAMES.length)])}:${JSON.stringify(VALUES[next(VALUES.length)])}`).join(',')}}`;
    yield JSON.parse(json);
  }
}

describe('PostMessageDto.accepts (chat.postMessage at a glance)', () => {
  it('accepts only bodies class-validator accepts, and hands the handler the same fields', async () => {
    let accepted = 0;
    let refused = 0;
    for (const body of bodies(4000)) {
      const full = await fullCheck(body);
      if (PostMessageDto.accepts(body)) {
        accepted += 1;
        expect({ body, error: full.error }).toEqual({ body, error: undefined });
        expect({ ...(full.value as object) }).toEqual(body);
      } else if (full.error === undefined) {
        refused += 1; // left to the full check although valid (null values): allowed, never the reverse
      }
    }
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(0);
  });

  it('takes the bodies Rocket.Chat clients send', () => {
    expect(PostMessageDto.accepts({ channel: '#general', text: 'hello' })).toBe(true);
    expect(PostMessageDto.accepts({ roomId: 'GENERAL', text: 'hi', alias: 'bot', emoji: ':smile:', attachments: [{ title: 'a', fields: [] }], parseUrls: false })).toBe(true);
    expect(PostMessageDto.accepts({ channel: ['#a', '@b'], text: 'x', customFields: { k: 1 }, tmid: 'T1', groupable: true })).toBe(true);
  });

  it('leaves anything doubtful to the full check', () => {
    for (const body of [null, [], 'text', { text: 5 }, { channel: '' }, { text: 'x', msg: 'y' }, JSON.parse('{"__proto__":{"a":1}}'), { customFields: null }, { attachments: [[]] }]) {
      expect(PostMessageDto.accepts(body)).toBe(false);
    }
  });

  it('is what the validation pipe uses: an accepted body reaches the handler as sent', async () => {
    const body = { channel: '#general', text: 'hello' };
    expect(await pipe.transform(body, asBody(PostMessageDto))).toBe(body);
  });
});
