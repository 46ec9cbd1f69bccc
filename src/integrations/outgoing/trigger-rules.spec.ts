import type { ApiRoom } from '../../rooms/room.mapper';
import { Integration } from '../entities/integration.entity';
import { roomKeys, sendMessageTrigger } from './trigger-rules';

const integration = (fields: Partial<Integration>) => Object.assign(new Integration(), fields);
const room = (fields: Partial<ApiRoom>) => fields as ApiRoom;

describe('sendMessageTrigger: whether a message fires an integration, and with which word', () => {
  const cases: [string, Partial<Integration>, { msg: string; editedAt?: string }, string | undefined | false][] = [
    ['no trigger words: every message, no word', {}, { msg: 'anything' }, undefined],
    ['empty trigger words: every message', { triggerWords: [] }, { msg: 'anything' }, undefined],
    ['a word at the start', { triggerWords: ['!deploy'] }, { msg: '!deploy now' }, '!deploy'],
    ['a word not at the start', { triggerWords: ['!deploy'] }, { msg: 'please !deploy' }, false],
    ['a word anywhere with triggerWordAnywhere', { triggerWords: ['!deploy'], triggerWordAnywhere: true }, { msg: 'please !deploy' }, '!deploy'],
    ['the first matching word of several', { triggerWords: ['!a', '!ab'] }, { msg: '!ab' }, '!a'],
    ['case matters', { triggerWords: ['Deploy'] }, { msg: 'deploy' }, false],
    ['no match', { triggerWords: ['x', 'y'] }, { msg: 'z' }, false],
    ['an edit without runOnEdits', {}, { msg: 'edited', editedAt: '2026-01-01T00:00:00Z' }, false],
    ['an edit with runOnEdits', { runOnEdits: true }, { msg: 'edited', editedAt: '2026-01-01T00:00:00Z' }, undefined],
    ['an edit with runOnEdits and a matching word', { runOnEdits: true, triggerWords: ['go'] }, { msg: 'go', editedAt: '2026-01-01T00:00:00Z' }, 'go'],
  ];
  it.each(cases)('%s', (_, fields, message, expected) => {
    expect(sendMessageTrigger(integration(fields), message)).toBe(expected);
  });
});

describe('roomKeys: the channel keys a room answers to (spec §5.2)', () => {
  const cases: [string, ApiRoom, string | undefined, string[]][] = [
    ['a public channel', room({ _id: 'R1', t: 'c', name: 'general' }), undefined, ['all_public_channels', '#R1', '#general']],
    ['a private group', room({ _id: 'R2', t: 'p', name: 'team' }), undefined, ['all_private_groups', '#R2', '#team']],
    ['a channel whose name is its id', room({ _id: 'GENERAL', t: 'c', name: 'GENERAL' }), undefined, ['all_public_channels', '#GENERAL']],
    [
      'a direct message, by participant except the author',
      room({ _id: 'D1', t: 'd', uids: ['u1', 'u2'], usernames: ['alice', 'bob'] }),
      'alice',
      ['all_direct_messages', '@u1', '@u2', '@bob'],
    ],
  ];
  it.each(cases)('%s', (_, r, author, keys) => {
    expect(roomKeys(r, author)).toEqual(keys);
  });
});
