import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CoalescedWrites } from '../core/background/coalesced-writes';
import { uniqueViolation } from '../core/database/unique-violation';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { randomId } from '../core/ids/random-id';
import { RowCounts } from '../core/database/row-counts';
import { RowCountsFolder } from '../core/database/row-counts-folder';
import { OutboxService } from '../events/outbox.service';
import { Room } from '../rooms/entities/room.entity';
import { MembershipService } from '../rooms/membership.service';
import { notAllowed, roomArchived } from '../rooms/room-errors';
import { toApiRoom } from '../rooms/room.mapper';
import { User } from '../users/entities/user.entity';
import { Message, MessageFile } from './entities/message.entity';
import { MessageInsert } from './message-insert';
import { toApiMessage } from './message.mapper';

/** What a new message says; everything but `msg` is optional. */
export interface MessageDraft {
  id?: string;
  msg: string;
  alias?: string;
  emoji?: string;
  avatar?: string;
  attachments?: Record<string, unknown>[];
  bot?: Record<string, unknown>;
  tmid?: string;
  groupable?: boolean;
  parseUrls?: boolean;
  customFields?: Record<string, unknown>;
  file?: MessageFile;
}

/** Messages per room and day, kept by triggers (migration 1763886000000-list-counts). */
const MESSAGE_COUNTS = new RowCounts({ prefix: 'room_message', key: 'room_id' });

/** A message about to be written, and its room (for its event). */
interface NewPost {
  message: Message;
  room: Room;
}

/** The `sendMessage` event of a new or edited message, built only if someone wants it. */
const sendMessagePayload = (message: Message, room: Room) => () => ({ message: toApiMessage(message), room: toApiRoom(room) });

/** Statements of posts under way at once (the pool has 10 connections), and messages in one. */
const COALESCED_WRITES = 4;
const COALESCED_MESSAGES = 100;

const noMessage = (msgId: string) => ApiError.failure(`No message found with the id of "${msgId}".`);

@Injectable()
export class MessagesService {
  private readonly insertion: MessageInsert;
  /** Posts outside a transaction, written together when they come together (see insertTogether). */
  private readonly together = new CoalescedWrites<NewPost>((posts) => this.insertTogether(posts), COALESCED_WRITES, COALESCED_MESSAGES);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly membership: MembershipService,
    private readonly outbox: OutboxService,
    private readonly counts: RowCountsFolder,
  ) {
    counts.register(MESSAGE_COUNTS);
    this.insertion = new MessageInsert(dataSource);
  }

  /**
   * May `user` post into `room`? Access (public channels are open; groups and direct messages
   * only to members), not archived, and read-only rooms only for holders of post-readonly (owners
   * and moderators through their room roles). Runs outside any transaction.
   */
  async assertCanPost(user: User, room: Room, { asMember = false } = {}): Promise<void> {
    if (!asMember && !(await this.membership.canAccess(user, room))) throw notAllowed('sendMessage');
    if (room.archived) throw roomArchived('sendMessage');
    if (room.readOnly && !(await this.membership.may(user, room, 'post-readonly'))) {
      throw ApiError.meteor('error-action-not-allowed', 'You cannot post in a read-only room', { method: 'sendMessage' });
    }
  }

  /** Inserts a message inside the caller's transaction and records `sendMessage`. */
  async insert(m: EntityManager, author: User, room: Room, draft: MessageDraft): Promise<Message> {
    if (draft.tmid && !(await m.existsBy(Message, { id: draft.tmid, roomId: room.id }))) {
      throw ApiError.meteor('error-invalid-tmid', 'The thread message does not exist in this room', { method: 'sendMessage' });
    }
    const now = new Date();
    const message = Object.assign(new Message(), {
      id: draft.id ?? randomId(),
      roomId: room.id,
      msg: draft.msg,
      ts: now,
      userId: author.id,
      username: author.username,
      userName: author.name,
      alias: draft.alias ?? null,
      emoji: draft.emoji ?? null,
      avatar: draft.avatar ?? null,
      attachments: draft.attachments ?? null,
      bot: draft.bot ?? null,
      tmid: draft.tmid ?? null,
      editedAt: null,
      editedBy: null,
      groupable: draft.groupable ?? null,
      parseUrls: draft.parseUrls ?? null,
      customFields: draft.customFields ?? null,
      file: draft.file ?? null,
      updatedAt: now,
    } satisfies Message);
    try {
      // Outside a transaction, posts that come at the same moment share one statement.
      if (!m.queryRunner) await this.together.add({ message, room });
      else await this.outbox.recordWith(m, this.insertion.of(message), 'sendMessage', sendMessagePayload(message, room));
    } catch (error) {
      if (uniqueViolation(error) !== undefined) {
        throw ApiError.meteor('error-duplicated-message', 'A message with this _id already exists', { method: 'sendMessage' });
      }
      throw error;
    }
    this.counts.noteWrites();
    return message;
  }

  /**
   * One statement for the messages posted at the same moment and their events; if it fails (a
   * duplicate id, a room removed meanwhile), each is written alone so each post gets its own answer.
   */
  private async insertTogether(posts: NewPost[]): Promise<unknown[]> {
    const payloads = posts.map((p) => sendMessagePayload(p.message, p.room));
    const alone = (post: NewPost, i: number) => this.outbox.recordWith(this.dataSource.manager, this.insertion.of(post.message), 'sendMessage', payloads[i]);
    try {
      if (posts.length === 1) await alone(posts[0], 0);
      else await this.outbox.recordEachWith(this.insertion.ofMany(posts.map((p) => p.message)), 'sendMessage', payloads);
      return [];
    } catch (error) {
      if (posts.length === 1) return [error];
      return Promise.all(posts.map((post, i) => alone(post, i).then(() => undefined, (e: unknown) => e)));
    }
  }

  /** Checks, then posts in a transaction of its own. */
  async post(author: User, room: Room, draft: MessageDraft): Promise<Message> {
    await this.assertCanPost(author, room);
    return this.dataSource.transaction((m) => this.insert(m, author, room, draft));
  }

  /** The messages of these ids that exist (any room: callers check who may read them). */
  findByIds(ids: string[]): Promise<Message[]> {
    return ids.length ? this.dataSource.manager.findBy(Message, { id: In(ids) }) : Promise.resolve([]);
  }

  async findInRoom(roomId: string, msgId: string): Promise<Message> {
    const message = await this.dataSource.manager.findOneBy(Message, { id: msgId });
    if (!message) throw noMessage(msgId);
    if (message.roomId !== roomId) throw ApiError.failure('The room id provided does not match where the message is from.');
    return message;
  }

  /** Edits the text (the author, or holders of edit-message) and records `sendMessage` again. */
  async update(actor: User, room: Room, message: Message, text: string): Promise<Message> {
    if (room.archived) throw roomArchived('updateMessage');
    if (message.userId !== actor.id && !(await this.membership.may(actor, room, 'edit-message'))) {
      throw actionNotAllowed('updateMessage');
    }
    return this.dataSource.transaction(async (m) => {
      await m.update(Message, { id: message.id }, { msg: text, editedAt: new Date(), editedBy: { _id: actor.id, username: actor.username } });
      const edited = await m.findOneByOrFail(Message, { id: message.id });
      await this.outbox.record(m, 'sendMessage', sendMessagePayload(edited, room));
      return edited;
    });
  }

  /** Deletes (the author with delete-own-message, or holders of delete-message). */
  async delete(actor: User, room: Room, message: Message): Promise<void> {
    const { granted } = await this.membership.standing(actor, room, ['delete-own-message', 'delete-message']);
    const own = message.userId === actor.id && granted.has('delete-own-message');
    if (!own && !granted.has('delete-message')) throw actionNotAllowed('deleteMessage');
    await this.dataSource.manager.delete(Message, { id: message.id });
    this.counts.noteWrites();
  }

  /** Newest first, with the room's total (from its counts, not by counting). */
  async list(room: Room, page: Page): Promise<[Message[], number]> {
    const start = await this.counts.locate(MESSAGE_COUNTS, room.id, page.offset);
    if (!start.until) return [[], start.total];
    const messages = await this.newestFirst(room, page.count)
      .andWhere('m.ts < :until', { until: start.until })
      .offset(start.skip)
      .getMany();
    return [messages, start.total];
  }

  /** Newest first, between `oldest` and `latest` when given. */
  async history(room: Room, page: Page, range: { latest?: Date; oldest?: Date }): Promise<Message[]> {
    if (!range.latest && !range.oldest) return (await this.list(room, page))[0];
    const query = this.newestFirst(room, page.count).offset(page.offset);
    if (range.latest) query.andWhere('m.ts <= :latest', { latest: range.latest });
    if (range.oldest) query.andWhere('m.ts >= :oldest', { oldest: range.oldest });
    return query.getMany();
  }

  /** In the order of the index messages_room_ts_id_idx, so a page reads only its rows. */
  private newestFirst(room: Room, count: number) {
    return this.dataSource.manager
      .createQueryBuilder(Message, 'm')
      .where('m.room_id = :roomId', { roomId: room.id })
      .orderBy('m.ts', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(count);
  }
}

function actionNotAllowed(method: string): ApiError {
  return ApiError.meteor('error-action-not-allowed', 'Not allowed', { method });
}
