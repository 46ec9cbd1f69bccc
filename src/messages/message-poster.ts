import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../core/http/api-error';
import { Room } from '../rooms/entities/room.entity';
import { MembershipService } from '../rooms/membership.service';
import { notAllowed } from '../rooms/room-errors';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { ApiMessage, toApiMessage } from './message.mapper';
import { MessageDraft, MessagesService } from './messages.service';
import { asText } from '../core/text/as-text';
import { isRecord } from '../core/http/is-record';

/** A message as webhook senders and chat.postMessage describe it (Slack-compatible names included). */
export interface WebhookPayload {
  channel?: string | string[];
  roomId?: string | string[];
  text?: string;
  msg?: string;
  alias?: string;
  username?: string;
  emoji?: string;
  icon_emoji?: string;
  avatar?: string;
  icon_url?: string;
  attachments?: unknown;
  parseUrls?: boolean;
  bot?: Record<string, unknown>;
  groupable?: boolean;
  tmid?: string;
  customFields?: Record<string, unknown>;
}

/** What the poster falls back to: an integration's channel, alias, avatar and emoji. */
export interface PostDefaults {
  channel?: string | string[];
  alias?: string;
  avatar?: string;
  emoji?: string;
}

export interface PostResult {
  channel: string;
  message: ApiMessage;
}

/** A target that could not be posted to, with the error code (`error-not-allowed`, `invalid-channel`…). */
export interface PostFailure {
  channel: string;
  error: string;
}

const invalidChannel = () => ApiError.meteor('invalid-channel');

/**
 * The one way to post on behalf of a user into targets named `#name`, `#id`, `@username`, a bare
 * room name or id, or a user id (integrations spec §4.5, Rocket.Chat's processWebhookMessage).
 * Public channels are joined automatically; private groups need membership. Used by
 * chat.postMessage, incoming webhooks and outgoing-webhook replies. Targets are handled in
 * order and the first failure stops the rest.
 */
@Injectable()
export class MessagePoster {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsService,
    private readonly membership: MembershipService,
    private readonly messages: MessagesService,
    private readonly users: UsersService,
  ) {}

  async post(user: User, payload: WebhookPayload, defaults: PostDefaults = {}): Promise<PostResult[]> {
    const draft = buildDraft(payload, defaults);
    const results: PostResult[] = [];
    for (const target of targetsOf(payload, defaults)) results.push(await this.postOne(user, target, draft));
    return results;
  }

  /** Like `post`, but tries every target and reports each (a hook's `separateResponse`). */
  async postEach(user: User, payload: WebhookPayload, defaults: PostDefaults = {}): Promise<(PostResult | PostFailure)[]> {
    const draft = buildDraft(payload, defaults);
    const results: (PostResult | PostFailure)[] = [];
    for (const target of targetsOf(payload, defaults)) {
      try {
        results.push(await this.postOne(user, target, draft));
      } catch (error) {
        if (!ApiError.is(error)) throw error;
        results.push({ channel: String(target), error: error.reason });
      }
    }
    return results;
  }

  private async postOne(user: User, target: unknown, draft: MessageDraft): Promise<PostResult> {
    if (typeof target !== 'string' || !target.trim()) throw invalidChannel();
    const room = await this.resolve(user, target.trim());
    return { channel: target, message: toApiMessage(await this.postInto(user, room, draft)) };
  }

  /**
   * Posts into one room, joining a public channel first when the user is not in it yet and may
   * enter it (a private team's channels are for its members only).
   */
  private async postInto(user: User, room: Room, draft: MessageDraft) {
    const isMember = await this.membership.isMember(room, user);
    if (!isMember && !(await this.membership.canAccess(user, room))) throw notAllowed('sendMessage');
    await this.messages.assertCanPost(user, room, { asMember: true });
    // A member's message is one atomic statement; joining first needs a transaction around both.
    if (isMember) return this.messages.insert(this.dataSource.manager, user, room, draft);
    return this.dataSource.transaction(async (m) => {
      await this.membership.add(m, room, user);
      return this.messages.insert(m, user, room, draft);
    });
  }

  private async resolve(user: User, target: string): Promise<Room> {
    const sigil = target[0];
    const name = target.slice(1);
    if (sigil === '#') return (await this.rooms.cachedByIdOrName(name)) ?? throwError(invalidChannel());
    if (sigil === '@') {
      const other = await this.users.findByUsername(name);
      if (!other) throw invalidChannel();
      return this.rooms.openDirect(user, other);
    }
    const room = await this.rooms.cachedByIdOrName(target);
    if (room) return room;
    const other = await this.users.findById(target);
    if (other) return this.rooms.openDirect(user, other);
    throw invalidChannel();
  }
}

function targetsOf(payload: WebhookPayload, defaults: PostDefaults): unknown[] {
  const targets = [...new Set([payload.channel || payload.roomId || defaults.channel || []].flat())];
  if (targets.length === 0) throw invalidChannel();
  return targets;
}

function throwError(error: Error): never {
  throw error;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const object = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

/**
 * Message fields from a payload, with Rocket.Chat's precedences (§4.5). Payloads are arbitrary
 * JSON from the outside: a field of the wrong type is ignored, never stored.
 */
export function buildDraft(payload: WebhookPayload, defaults: PostDefaults): MessageDraft {
  const attachments = Array.isArray(payload.attachments)
    ? payload.attachments.map((a) => normaliseAttachment(a)).filter((a): a is Record<string, unknown> => a !== undefined)
    : [];
  const body = text(payload.text) ?? text(payload.msg);
  const draft: MessageDraft = {
    msg: (body ?? (typeof payload.text === 'number' ? String(payload.text) : '')).trim(),
    alias: text(payload.username) ?? text(payload.alias) ?? text(defaults.alias),
    attachments: attachments.length ? attachments : undefined,
    parseUrls: flag(payload.parseUrls) ?? !payload.attachments,
    bot: object(payload.bot),
    groupable: flag(payload.groupable) ?? false,
    tmid: text(payload.tmid),
    customFields: object(payload.customFields),
  };
  const avatar = text(payload.icon_url) ?? text(payload.avatar);
  const emoji = text(payload.icon_emoji) ?? text(payload.emoji);
  if (avatar) draft.avatar = avatar;
  else if (emoji) draft.emoji = emoji;
  else if (defaults.avatar) draft.avatar = defaults.avatar;
  else if (defaults.emoji) draft.emoji = defaults.emoji;
  return draft;
}

/** An attachment's `msg` becomes its trimmed `text`; anything that is not an object is dropped. */
function normaliseAttachment(attachment: unknown): Record<string, unknown> | undefined {
  if (typeof attachment !== 'object' || attachment === null || Array.isArray(attachment)) return undefined;
  const { msg, ...rest } = attachment as Record<string, unknown>;
  return msg === undefined ? rest : { ...rest, text: asText(msg, 'null').trim() };
}
