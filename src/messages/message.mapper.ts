import { Message } from './entities/message.entity';

/** A message as Rocket.Chat's REST API shows it; optional fields appear only when set. */
export function toApiMessage(m: Message) {
  const optional = {
    alias: m.alias,
    emoji: m.emoji,
    avatar: m.avatar,
    attachments: m.attachments,
    bot: m.bot,
    tmid: m.tmid,
    editedAt: m.editedAt?.toISOString(),
    editedBy: m.editedBy,
    file: m.file,
    groupable: m.groupable,
    parseUrls: m.parseUrls,
    customFields: m.customFields,
  };
  return {
    _id: m.id,
    rid: m.roomId,
    msg: m.msg,
    ts: m.ts.toISOString(),
    u: { _id: m.userId, username: m.username, name: m.userName },
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null && v !== undefined)),
    _updatedAt: m.updatedAt.toISOString(),
  } as ApiMessage;
}

export interface ApiMessage {
  _id: string;
  rid: string;
  msg: string;
  ts: string;
  u: { _id: string; username: string; name: string };
  alias?: string;
  emoji?: string;
  avatar?: string;
  attachments?: Record<string, unknown>[];
  bot?: Record<string, unknown>;
  tmid?: string;
  editedAt?: string;
  editedBy?: { _id: string; username: string };
  file?: { _id: string; name: string; type: string; size: number };
  groupable?: boolean;
  parseUrls?: boolean;
  customFields?: Record<string, unknown>;
  _updatedAt: string;
}
