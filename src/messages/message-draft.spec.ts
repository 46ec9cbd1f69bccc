import { buildDraft, WebhookPayload } from './message-poster';

describe('buildDraft: message fields from a webhook payload (spec §4.5)', () => {
  it.each([
    ['text, trimmed', { text: '  hi  ' }, {}, { msg: 'hi', parseUrls: true, groupable: false }],
    ['msg when there is no text', { msg: 'from msg' }, {}, { msg: 'from msg' }],
    ['a numeric text as its digits', { text: 42 }, {}, { msg: '42' }],
    ['username before alias before the default alias', { username: 'u', alias: 'a' }, { alias: 'd' }, { alias: 'u' }],
    ['the default alias', {}, { alias: 'd' }, { alias: 'd' }],
    ['icon_url before avatar, emoji and defaults', { icon_url: 'http://i', icon_emoji: ':x:' }, { emoji: ':d:' }, { avatar: 'http://i', emoji: undefined }],
    ['icon_emoji when there is no picture', { icon_emoji: ':x:' }, { avatar: 'http://d' }, { emoji: ':x:', avatar: undefined }],
    ['the default avatar before the default emoji', {}, { avatar: 'http://d', emoji: ':d:' }, { avatar: 'http://d', emoji: undefined }],
    ['attachments turn off URL parsing; an attachment msg becomes its text', { attachments: [{ msg: ' a ', title: 't' }, 'junk'] }, {}, { attachments: [{ text: 'a', title: 't' }], parseUrls: false }],
    ['fields of the wrong type are ignored', { text: ['x'], groupable: 'yes', bot: 'b', tmid: 5, customFields: [1] }, {}, { msg: '', groupable: false, bot: undefined, tmid: undefined, customFields: undefined }],
    ['explicit parseUrls and groupable', { text: 'x', parseUrls: false, groupable: true }, {}, { parseUrls: false, groupable: true }],
  ])('%s', (_, payload, defaults, expected) => {
    // Payloads are arbitrary JSON from outside: wrong types included on purpose.
    const draft = buildDraft(payload as unknown as WebhookPayload, defaults) as unknown as Record<string, unknown>;
    // The named fields only; undefined means the draft leaves the field out.
    expect(Object.fromEntries(Object.keys(expected).map((key) => [key, draft[key]]))).toEqual(expected);
  });
});
