import { DomainEventName } from '../../events/domain-events';

type Schema = Record<string, unknown>;

const text = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const time = (description: string): Schema => ({ type: 'string', description: `${description} (ISO 8601)` });
const flag = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
const strings: Schema = { type: 'array', items: { type: 'string' } };
const anyObject: Schema = { type: 'object' };

/** An object with exactly these fields: `required` always, `optional` when the note says. */
function exactly(required: Record<string, Schema>, optional: Record<string, Schema> = {}, description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties: { ...required, ...optional },
    required: Object.keys(required),
    additionalProperties: false,
  };
}

/** A room as Rocket.Chat's REST API shows it. */
const ROOM = exactly(
  { _id: text(), t: { type: 'string', enum: ['c', 'p', 'd'], description: 'c: public channel, p: private group, d: direct messages' }, ro: flag('read-only'), ts: time('created'), _updatedAt: time('last changed') },
  {
    name: text('absent for direct messages'),
    fname: text('display name, when it has one'),
    u: exactly({ _id: text(), username: text() }, {}, 'the owner, when it has one'),
    archived: { const: true, description: 'only when archived' },
    default: { const: true, description: 'only for default channels' },
    teamId: text('only in a team'),
    teamMain: { const: true, description: "only for a team's main room" },
    uids: { ...strings, description: 'direct messages: the two users' },
    usernames: { ...strings, description: 'direct messages: the two usernames' },
  },
  'the room, as `rooms.info` returns it',
);

/** A user as Rocket.Chat's REST API shows it to others (no e-mail). */
const USER = exactly(
  {
    _id: text(),
    username: text(),
    name: text(),
    type: { type: 'string', enum: ['user', 'bot', 'app'] },
    active: flag(),
    roles: strings,
    status: text(),
    createdAt: time('created'),
    _updatedAt: time('last changed'),
  },
  { requirePasswordChange: { const: true, description: 'only when set' } },
  'the user, as `users.info` returns it',
);

/** A message as Rocket.Chat's REST API shows it. */
const MESSAGE = exactly(
  { _id: text(), rid: text('its room'), msg: text(), ts: time('posted'), u: exactly({ _id: text(), username: text(), name: text() }), _updatedAt: time('last changed') },
  {
    alias: text(),
    emoji: text(),
    avatar: text(),
    attachments: { type: 'array', items: anyObject },
    bot: anyObject,
    tmid: text('the thread it is in'),
    editedAt: time('edited'),
    editedBy: exactly({ _id: text(), username: text() }),
    file: exactly({ _id: text(), name: text(), type: text(), size: { type: 'integer' } }),
    groupable: flag(),
    parseUrls: flag(),
    customFields: anyObject,
  },
  'the message, as `chat.getMessage` returns it',
);

/** What every delivery carries whatever the event. */
const TOKEN = { token: text("the integration's token: check it to know the call is yours (absent when the integration has none)") };

const MESSAGE_FIELDS = {
  bot: flag('whether a bot (an incoming integration) posted it'),
  channel_id: text(),
  message_id: text(),
  timestamp: time('posted'),
  user_id: text('the author'),
  user_name: text('the author'),
  text: text('the message text'),
};
/** Rooms of direct messages have no name. */
const CHANNEL_NAME = { channel_name: text('absent for direct messages') };
const MESSAGE_OPTIONAL = { channel_name: text('absent in direct messages'), alias: text('when the message has one') };

const ROOM_EVENT_FIELDS = {
  bot: flag('whether the user is a bot'),
  timestamp: time('when it happened'),
  channel_id: text(),
  user_id: text(),
  user_name: text(),
  user: USER,
  room: ROOM,
};

export interface EventEntry {
  event: DomainEventName;
  /** Rocket.Chat's admin name for it. */
  label: string;
  description: string;
  /** The JSON Schema (draft 2020-12) of the body a delivery of this event carries. */
  schema: Schema;
  example: Record<string, unknown>;
}

const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const ROOM_EXAMPLE = { _id: 'GENERAL', t: 'c', name: 'general', ro: false, default: true, ts: '2026-01-05T09:00:00.000Z', _updatedAt: '2026-12-07T10:15:00.000Z' };
const USER_EXAMPLE = {
  _id: 'aobEdbYhXfu5hkeqG',
  username: 'jane',
  name: 'Jane Doe',
  type: 'user',
  active: true,
  roles: ['user'],
  status: 'offline',
  createdAt: '2026-03-02T08:30:00.000Z',
  _updatedAt: '2026-12-07T10:15:00.000Z',
};
const MESSAGE_EXAMPLE = {
  bot: false,
  channel_id: 'GENERAL',
  channel_name: 'general',
  message_id: 'sxuTNq8LCcQ6PDG3j',
  timestamp: '2026-12-07T10:15:00.000Z',
  user_id: 'aobEdbYhXfu5hkeqG',
  user_name: 'jane',
  text: 'deploy production please',
};
const TOKEN_EXAMPLE = { token: 'vyRKWbCdhJvGT5sqhFj8Ze3b' };

const entry = (event: DomainEventName, label: string, description: string, required: Record<string, Schema>, optional: Record<string, Schema>, example: Record<string, unknown>): EventEntry => ({
  event,
  label,
  description,
  schema: { $schema: SCHEMA_DIALECT, title: `${event} delivery`, ...exactly(required, { ...TOKEN, ...optional }) },
  example: { ...TOKEN_EXAMPLE, ...example },
});

/** A user joining or leaving a room: the same body, the same example. */
const membershipEntry = (event: 'roomJoined' | 'roomLeft', label: string, what: string): EventEntry =>
  entry(event, label, `A user ${what} a room the integration listens to.`, ROOM_EVENT_FIELDS, CHANNEL_NAME, {
    bot: false,
    timestamp: '2026-12-07T10:15:00.000Z',
    channel_id: 'GENERAL',
    channel_name: 'general',
    user_id: USER_EXAMPLE._id,
    user_name: 'jane',
    user: USER_EXAMPLE,
    room: ROOM_EXAMPLE,
  });

/**
 * The seven outgoing events with the body Hookline sends for each (Rocket.Chat's field names),
 * which fields appear when, and an example. Tested against real deliveries of every event
 * (test/event-catalog.e2e-spec.ts): a field added to or dropped from a body fails there.
 */
export const EVENT_CATALOG: readonly EventEntry[] = [
  entry(
    'sendMessage',
    'Message Sent',
    'A message was posted in a room the integration listens to (and, with trigger words, starts with or holds one); an edit too, with "Run on edits".',
    { ...MESSAGE_FIELDS, siteUrl: text('this server’s ROOT_URL') },
    {
      ...MESSAGE_OPTIONAL,
      trigger_word: text('the trigger word that matched, when the integration has trigger words'),
      isEdited: { const: true, description: 'only for an edit' },
      tmid: text('only for a message in a thread'),
    },
    { ...MESSAGE_EXAMPLE, siteUrl: 'https://chat.example.com', trigger_word: 'deploy' },
  ),
  entry(
    'fileUploaded',
    'File Uploaded',
    'A file was uploaded to a room the integration listens to.',
    { ...MESSAGE_FIELDS, user: USER, room: ROOM, message: MESSAGE },
    MESSAGE_OPTIONAL,
    {
      ...MESSAGE_EXAMPLE,
      text: 'the build log',
      user: USER_EXAMPLE,
      room: ROOM_EXAMPLE,
      message: {
        _id: 'sxuTNq8LCcQ6PDG3j',
        rid: 'GENERAL',
        msg: 'the build log',
        ts: '2026-12-07T10:15:00.000Z',
        u: { _id: 'aobEdbYhXfu5hkeqG', username: 'jane', name: 'Jane Doe' },
        file: { _id: 'Fw3MkdP7xE2BvLq9a', name: 'build.log', type: 'text/plain', size: 5120 },
        _updatedAt: '2026-12-07T10:15:00.000Z',
      },
    },
  ),
  entry(
    'roomArchived',
    'Room Archived',
    'A room was archived (every archived room: the event has no channel filter).',
    ROOM_EVENT_FIELDS,
    CHANNEL_NAME,
    { bot: false, timestamp: '2026-12-07T10:15:00.000Z', channel_id: 'k8Tc3ZSbQdDBv7yXn', channel_name: 'old-project', user_id: USER_EXAMPLE._id, user_name: 'jane', user: USER_EXAMPLE, room: { ...ROOM_EXAMPLE, _id: 'k8Tc3ZSbQdDBv7yXn', name: 'old-project', default: undefined, archived: true } },
  ),
  entry(
    'roomCreated',
    'Room Created',
    'A channel or private group was created (every new room: the event has no channel filter).',
    { bot: { const: false }, channel_id: text(), timestamp: time('created'), user_id: text('the owner'), user_name: text('the owner'), owner: USER, room: ROOM },
    CHANNEL_NAME,
    { bot: false, channel_id: 'k8Tc3ZSbQdDBv7yXn', channel_name: 'new-project', timestamp: '2026-12-07T10:15:00.000Z', user_id: USER_EXAMPLE._id, user_name: 'jane', owner: USER_EXAMPLE, room: { ...ROOM_EXAMPLE, _id: 'k8Tc3ZSbQdDBv7yXn', name: 'new-project', default: undefined, u: { _id: USER_EXAMPLE._id, username: 'jane' } } },
  ),
  membershipEntry('roomJoined', 'User Joined Room', 'joined, or was added to'),
  membershipEntry('roomLeft', 'User Left Room', 'left, or was removed from'),
  entry(
    'userCreated',
    'User Created',
    'A user account was created (every new user: the event has no channel filter; the message goes to the target room).',
    { bot: flag('whether the new user is a bot'), timestamp: time('created'), user_id: text(), user_name: text(), user: USER },
    {},
    { bot: false, timestamp: '2026-12-07T10:15:00.000Z', user_id: USER_EXAMPLE._id, user_name: 'jane', user: USER_EXAMPLE },
  ),
].map((e) => ({ ...e, example: JSON.parse(JSON.stringify(e.example)) as Record<string, unknown> }));

export const eventEntry = (event: string): EventEntry | undefined => EVENT_CATALOG.find((e) => e.event === event);
