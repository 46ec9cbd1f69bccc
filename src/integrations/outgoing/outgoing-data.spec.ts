import { DomainEventName, DomainEventPayloads } from '../../events/domain-events';
import { outgoingData } from './outgoing-data';

const SITE = 'https://chat.example.com';
const AT = new Date('2026-11-30T12:00:00.000Z');
const user = { _id: 'u1', username: 'alice', type: 'user' };
const bot = { _id: 'b1', username: 'robo', type: 'bot' };
const room = { _id: 'R1', t: 'c', name: 'general', ts: '2026-01-01T00:00:00.000Z' };
const message = { _id: 'M1', rid: 'R1', msg: 'hello', ts: '2026-11-30T11:59:59.000Z', u: { _id: 'u1', username: 'alice' } };

type Case = [string, DomainEventName, unknown, Record<string, unknown>];

describe('outgoingData: the body an integration receives for each event (spec §5.4)', () => {
  const cases: Case[] = [
    [
      'a message',
      'sendMessage',
      { message, room },
      { bot: false, channel_id: 'R1', channel_name: 'general', message_id: 'M1', timestamp: message.ts, user_id: 'u1', user_name: 'alice', text: 'hello', siteUrl: SITE },
    ],
    [
      'an edited message in a thread, with an alias, from a bot',
      'sendMessage',
      { message: { ...message, editedAt: 'x', tmid: 'T1', alias: 'Bot', bot: { i: 'I1' } }, room },
      { bot: true, text: 'hello', isEdited: true, tmid: 'T1', alias: 'Bot', siteUrl: SITE },
    ],
    ['a room created', 'roomCreated', { room, owner: user }, { bot: false, channel_id: 'R1', channel_name: 'general', timestamp: room.ts, user_id: 'u1', user_name: 'alice', owner: user, room }],
    ['a user joined', 'roomJoined', { room, user }, { bot: false, timestamp: AT.toISOString(), channel_id: 'R1', user_id: 'u1', user_name: 'alice', user, room }],
    ['a bot left', 'roomLeft', { room, user: bot }, { bot: true, user_name: 'robo' }],
    ['a room archived', 'roomArchived', { room, user }, { channel_name: 'general', timestamp: AT.toISOString() }],
    ['a user created', 'userCreated', { user: { ...user, createdAt: 'c' } }, { bot: false, timestamp: 'c', user_id: 'u1', user_name: 'alice' }],
  ];
  it.each(cases)('%s', (_, event, payload, expected) => {
    const data = outgoingData(event, payload as DomainEventPayloads[typeof event], AT, SITE);
    expect(data).toMatchObject(expected);
    expect(data).not.toHaveProperty('token');
  });

  it('a message without alias, thread or edit carries none of those keys', () => {
    const data = outgoingData('sendMessage', { message, room } as unknown as DomainEventPayloads['sendMessage'], AT, SITE);
    for (const key of ['alias', 'tmid', 'isEdited']) expect(data).not.toHaveProperty(key);
  });
});
