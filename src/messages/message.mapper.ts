import { Message } from './entities/message.entity';

/** A message as Rocket.Chat's REST API shows it; optional fields appear only when set. */
export function toApiMessage(m: Message): ApiMessage {
  // Field by field rather than filtering an object's entries: this runs for every post and its event.
  const api: Record<string, unknown> = { _id: m.id, rid: m.roomId, msg: m.msg, ts: m.ts.toISOString(), u: { _id: m.userId, username: m.username, name: m.userName } };
  if (m.alias != null) api.alias = m.alias;
  if (m.emoji != null) api.emoji = m.emoji;
  if (m.avatar != null) api.avatar = m.avatar;
  if (m.attachments != null) api.attachments = m.attachments;
  if (m.bot != null) api.bot = m.bot;
  if (m.tmid != null) api.tmid = m.tmid;
  if (m.editedAt != null) api.editedAt = m.editedAt.toISOString();
  if (m.editedBy != null) api.editedBy = m.editedBy;
  if (m.file != null) api.file = m.file;
  if (m.groupable != null) api.groupable = m.groupable;
  if (m.parseUrls != null) api.parseUrls = m.parseUrls;
  if (m.customFields != null) api.customFields = m.customFields;
  api._updatedAt = m.updatedAt.toISOString();
  return api as unknown as ApiMessage;
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
