import { Message } from './entities/message.entity';
import { toApiMessage } from './message.mapper';

const base = {
  id: 'm1',
  roomId: 'GENERAL',
  msg: 'hello',
  ts: new Date('2026-12-08T00:00:00.000Z'),
  userId: 'u1',
  username: 'alice',
  userName: 'Alice',
  alias: null,
  emoji: null,
  avatar: null,
  attachments: null,
  bot: null,
  tmid: null,
  editedAt: null,
  editedBy: null,
  groupable: null,
  parseUrls: null,
  customFields: null,
  file: null,
  updatedAt: new Date('2026-12-08T00:00:01.000Z'),
} satisfies Message;

describe('toApiMessage', () => {
  it('shows only the fields that are set, in Rocket.Chat order', () => {
    expect(JSON.stringify(toApiMessage(base))).toBe(
      '{"_id":"m1","rid":"GENERAL","msg":"hello","ts":"2026-12-08T00:00:00.000Z","u":{"_id":"u1","username":"alice","name":"Alice"},"_updatedAt":"2026-12-08T00:00:01.000Z"}',
    );
  });

  it('keeps false and empty values, and dates as ISO strings', () => {
    const api = toApiMessage({ ...base, alias: '', groupable: false, parseUrls: true, editedAt: new Date('2026-12-08T00:00:02.000Z'), editedBy: { _id: 'u2', username: 'bob' }, customFields: {} });
    expect(Object.keys(api)).toEqual(['_id', 'rid', 'msg', 'ts', 'u', 'alias', 'editedAt', 'editedBy', 'groupable', 'parseUrls', 'customFields', '_updatedAt']);
    expect(api).toMatchObject({ alias: '', groupable: false, editedAt: '2026-12-08T00:00:02.000Z' });
  });
});
