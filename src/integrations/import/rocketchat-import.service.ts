import { Injectable } from '@nestjs/common';
import { toStorable } from '../../core/http/storable-text';
import { RoomsService } from '../../rooms/rooms.service';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { ROCKET_CAT } from '../../users/default-users';
import { INCOMING, Integration, OUTGOING, ScriptError } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { IntegrationChanges } from '../manage/integration-changes';
import { compileScript } from '../scripts/script-compiler';
import { SourceDocument } from './rocketchat-source';
import { asText } from '../../core/text/as-text';

export type ImportOutcome = 'create' | 'update' | 'skip' | 'conflict' | 'fail';

/** What the import did (or, in a dry run, would do) with one source integration. */
export interface ImportLine {
  id: string;
  name: string;
  type: string;
  outcome: ImportOutcome;
  reason?: string;
  /** Users and rooms made for it, and a script that did not compile. */
  notes: string[];
}

/** The fields an imported integration keeps, compared to tell an update from a skip. */
const KEPT = [
  'type', 'name', 'enabled', 'channel', 'username', 'alias', 'avatar', 'emoji', 'script', 'scriptEnabled', 'token', 'event', 'urls',
  'triggerWords', 'targetRoom', 'impersonateUser', 'retryFailedCalls', 'retryCount', 'retryDelay', 'runOnEdits', 'triggerWordAnywhere',
  'overrideDestinationChannelEnabled',
] as const;

class Problem extends Error {}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const flag = (v: unknown) => (typeof v === 'boolean' ? v : null);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/**
 * Imports Rocket.Chat integrations (documents from its REST API or a mongoexport) keeping their
 * `_id` and `token`, so existing hook URLs keep working. Makes the post-as users (no password) and
 * the rooms named in `channel` that are missing. A dry run plans and writes nothing; a second run
 * changes nothing; one bad integration is reported and skipped.
 */
@Injectable()
export class RocketChatImportService {
  constructor(
    private readonly integrations: IntegrationStore,
    private readonly changes: IntegrationChanges,
    private readonly users: UsersService,
    private readonly rooms: RoomsService,
  ) {}

  /**
   * `actor` writes the integrations; without one (a command run on a fresh install), each is
   * written by the user its document names as last editor or creator, made without a password
   * when missing, so the original names stay. `onProgress` hears how many are done, every
   * PROGRESS_EVERY and at the end.
   */
  async run(
    documents: SourceDocument[],
    { dryRun = false, actor, onProgress }: { dryRun?: boolean; actor: User | null; onProgress?: (done: number) => Promise<void> },
  ): Promise<ImportLine[]> {
    const lines: ImportLine[] = [];
    // Text as PostgreSQL can store it (a NUL or a lone surrogate becomes U+FFFD), as the API stores bodies.
    for (const doc of documents.map(toStorable)) {
      const line: ImportLine = { id: asText(doc._id, '?'), name: asText(doc.name, '?'), type: asText(doc.type, '?'), outcome: 'fail', notes: [] };
      try {
        await this.one(doc, line, dryRun, actor);
      } catch (error) {
        line.outcome = 'fail';
        line.reason = (error as Error).message;
      }
      lines.push(line);
      if (onProgress && (lines.length % PROGRESS_EVERY === 0 || lines.length === documents.length)) await onProgress(lines.length);
    }
    return lines;
  }

  private async one(doc: SourceDocument, line: ImportLine, dryRun: boolean, actor: User | null): Promise<void> {
    const fields = this.fieldsOf(doc);
    const id = fields.id as string;
    const existing = await this.integrations.findById(id);
    if (fields.token) {
      const holder = await this.integrations.findByToken(fields.token);
      if (holder && holder.id !== id) {
        line.outcome = 'conflict';
        line.reason = `its token belongs to integration ${holder.id} here`;
        return;
      }
    }
    if (existing && existing.type !== fields.type) {
      line.outcome = 'conflict';
      line.reason = `an integration with this id here is ${existing.type}`;
      return;
    }
    if (existing && KEPT.every((key) => same(existing[key], fields[key]))) {
      line.outcome = 'skip';
      line.reason = 'already imported, unchanged';
      return;
    }
    line.outcome = existing ? 'update' : 'create';
    const postAs = await this.postAsUser(fields.username as string, line, dryRun);
    await this.ensureRooms(fields.channel as string[], postAs, line, dryRun);
    if (fields.scriptEnabled && fields.script) {
      const compiled = compileScript(fields.script);
      Object.assign(fields, compiled);
      if (compiled.scriptError) line.notes.push(`script does not compile: ${compiled.scriptError.message}`);
    }
    const author = actor ? null : originalAuthor(doc);
    if (!actor && !author) throw new Problem('no administrator to import as, and the document names no _createdBy: give --as <username>');
    if (dryRun) {
      if (author && !(await this.users.findByExactUsername(author))) line.notes.push(`would create user ${author} (no password) to write it as`);
      return;
    }
    const writer = actor ?? (await this.authorUser(author as string, line));
    fields.userId = postAs?.id ?? fields.username;
    await this.changes.saveImported(fields as Partial<Integration> & { id: string; type: typeof INCOMING | typeof OUTGOING }, existing, writer);
  }

  /** The Hookline fields of a source document; throws a Problem naming what is wrong. */
  private fieldsOf(doc: SourceDocument): Partial<Integration> & Record<string, unknown> {
    const id = text(doc._id);
    if (!id || id.length > 32) throw new Problem('no usable _id');
    const type = doc.type;
    if (type !== INCOMING && type !== OUTGOING) throw new Problem(`unknown type ${JSON.stringify(type)}`);
    const name = text(doc.name);
    if (!name) throw new Problem('no name');
    const username = text(doc.username);
    if (!username) throw new Problem('no post-as username');
    const createdBy = (doc._createdBy ?? {}) as { _id?: unknown; username?: unknown };
    const createdAt = typeof doc._createdAt === 'string' ? new Date(doc._createdAt) : new Date();
    const fields: Partial<Integration> & Record<string, unknown> = {
      id,
      type,
      name,
      enabled: doc.enabled === true,
      channel: strings(doc.channel),
      username,
      alias: text(doc.alias),
      avatar: text(doc.avatar),
      emoji: text(doc.emoji),
      script: text(doc.script),
      scriptEnabled: doc.scriptEnabled === true,
      scriptEngine: 'isolated-vm',
      scriptCompiled: null,
      scriptError: null as ScriptError | null,
      token: text(doc.token),
      createdAt: Number.isNaN(createdAt.getTime()) ? new Date() : createdAt,
      createdById: text(createdBy._id) ?? ROCKET_CAT.id,
      createdByUsername: text(createdBy.username) ?? ROCKET_CAT.username,
    };
    if (type === INCOMING) {
      if (!fields.token) throw new Problem('an incoming integration without token');
      fields.overrideDestinationChannelEnabled = flag(doc.overrideDestinationChannelEnabled) ?? false;
    } else {
      if (typeof doc.event !== 'string') throw new Problem('an outgoing integration without event');
      Object.assign(fields, {
        event: doc.event,
        urls: strings(doc.urls),
        triggerWords: strings(doc.triggerWords),
        targetRoom: text(doc.targetRoom),
        impersonateUser: flag(doc.impersonateUser),
        retryFailedCalls: flag(doc.retryFailedCalls),
        retryCount: typeof doc.retryCount === 'number' ? doc.retryCount : null,
        retryDelay: text(doc.retryDelay),
        runOnEdits: flag(doc.runOnEdits),
        triggerWordAnywhere: flag(doc.triggerWordAnywhere),
      });
    }
    return fields;
  }

  /** The user an integration's document names as its author, made without a password when missing. */
  private async authorUser(username: string, line: ImportLine): Promise<User> {
    const found = await this.users.findByExactUsername(username);
    if (found) return found;
    line.notes.push(`created user ${username} (no password) to write it as`);
    return this.users.create({ username, name: username, roles: ['user'] });
  }

  /** The post-as user, made (without a password: nobody logs in as it until an admin sets one) when missing. */
  private async postAsUser(username: string, line: ImportLine, dryRun: boolean): Promise<User | null> {
    const found = await this.users.findByExactUsername(username);
    if (found) return found;
    line.notes.push(`${dryRun ? 'would create' : 'created'} user ${username} (no password)`);
    if (dryRun) return null;
    return this.users.create({ username, name: username, roles: ['bot'] });
  }

  /** Public channels named `#name` in `channel` that do not exist, made with the post-as user as owner. */
  private async ensureRooms(channels: string[], owner: User | null, line: ImportLine, dryRun: boolean): Promise<void> {
    for (const channel of channels) {
      if (!channel.startsWith('#')) continue;
      const ref = channel.slice(1);
      if (await this.rooms.findByIdOrName(ref)) continue;
      line.notes.push(`${dryRun ? 'would create' : 'created'} room #${ref}`);
      if (!dryRun && owner) await this.rooms.create(owner, { type: 'c', name: ref });
    }
  }
}

/** How often a long import reports its progress. */
const PROGRESS_EVERY = 10;

/** The username of the document's last editor, else its creator. */
function originalAuthor(doc: SourceDocument): string | null {
  for (const key of ['_updatedBy', '_createdBy']) {
    const who = doc[key] as { username?: unknown } | undefined;
    if (who && typeof who.username === 'string' && who.username.trim()) return who.username.trim();
  }
  return null;
}

/** Equal as stored: arrays by their items, absent and null alike. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
