import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { containsPattern } from '../core/database/like-pattern';
import { Page } from '../core/http/pagination';
import { User } from '../users/entities/user.entity';
import { DisabledIntegration } from './disable-notice';
import { DisabledReason, Integration, IntegrationType, INCOMING, OUTGOING } from './entities/integration.entity';
import { IntegrationGrants } from './integration-grants';
import { newSigningSecret } from './outgoing/request-signer';

/** Which rows a lookup may return: the id, and optionally its type, creator, or that it is outgoing by event. */
export interface IntegrationFilter {
  id: string;
  type?: IntegrationType;
  createdById?: string;
  withEvent?: boolean;
}

/**
 * The `integrations` table's owner: every read and write of it goes through here. The hot paths
 * (hook calls, dispatch, delivery) use the cached reads; management writes inside the
 * transactions its use cases open.
 */
@Injectable()
export class IntegrationStore {
  private readonly byId: CachedLookup<Integration>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    changes: ChangeFeed,
  ) {
    this.byId = new CachedLookup(changes, ['integrations']);
  }

  private get repo() {
    return this.dataSource.getRepository(Integration);
  }

  findById(id: string, m: EntityManager = this.dataSource.manager): Promise<Integration | null> {
    return m.findOneBy(Integration, { id });
  }

  /**
   * Like findById, from memory while the integrations are unchanged (read-only: the integration
   * is shared). For the hot paths: hook calls and deliveries.
   */
  cachedById(id: string): Promise<Integration | null> {
    return this.byId.get(id, () => this.findById(id));
  }

  /** One integration matching every condition of `filter`. */
  findOne(filter: IntegrationFilter): Promise<Integration | null> {
    const query = this.repo.createQueryBuilder('i').where('i.id = :id', { id: filter.id });
    if (filter.type) query.andWhere('i.type = :type', { type: filter.type });
    if (filter.createdById !== undefined) query.andWhere('i.created_by_id = :createdBy', { createdBy: filter.createdById });
    if (filter.withEvent) query.andWhere('i.event IS NOT NULL');
    return query.getOne();
  }

  /** The enabled outgoing integrations for `event` and, for channel events, a room with channel keys `keys` (spec §5.2), oldest first. */
  listeningTo(event: string, keys: string[] | undefined): Promise<Integration[]> {
    const query = this.repo
      .createQueryBuilder('i')
      .where(`i.type = '${OUTGOING}' AND i.enabled AND i.event = :event`, { event })
      .orderBy('i.createdAt', 'ASC');
    if (keys) {
      // An empty channel list on a channel event means "all public channels".
      query.andWhere(`(i.channel && :keys::text[] OR (i.channel = '{}' AND :anyPublic))`, { keys, anyPublic: keys.includes('all_public_channels') });
    }
    return query.getMany();
  }

  /** The events some enabled outgoing integration listens to. */
  async listenedEvents(): Promise<string[]> {
    const rows = await this.dataSource.query<{ event: string }[]>(`SELECT DISTINCT event FROM integrations WHERE type = '${OUTGOING}' AND enabled AND event IS NOT NULL`);
    return rows.map((r) => r.event);
  }

  /** Outgoing lookups by `target_url` match any of the integration's urls. */
  findByUrl(url: string): Promise<Integration | null> {
    return this.repo.createQueryBuilder('i').where(':url = ANY(i.urls)', { url }).orderBy('i.createdAt', 'ASC').getOne();
  }

  /** The integration holding this incoming-hook token, if any. */
  findByToken(token: string): Promise<Integration | null> {
    return this.repo.findOneBy({ token });
  }

  /** Every integration, oldest first (the export). */
  all(): Promise<Integration[]> {
    return this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** `integrations.list` (spec §2.4): those `grants` may see, by name (contains) and type. */
  listVisible(grants: IntegrationGrants, filter: { name?: string; type?: string }, page: Page): Promise<[Integration[], number]> {
    const query = this.visibleTo(grants);
    if (filter.name) query.andWhere(`i.name ILIKE :name ESCAPE '\\'`, { name: containsPattern(filter.name) });
    if (filter.type) query.andWhere('i.type = :type', { type: filter.type });
    for (const [column, direction] of Object.entries(page.order)) query.addOrderBy(`i.${column}`, direction);
    return query.addOrderBy('i.id', 'DESC').skip(page.offset).take(page.count).getManyAndCount();
  }

  /** Integrations aimed at a room (`channels.getIntegrations`), among those `grants` may see, newest first. */
  forRoomVisible(grants: IntegrationGrants, keys: string[], page: Page): Promise<[Integration[], number]> {
    return this.visibleTo(grants)
      .andWhere('i.channel && :keys::text[]', { keys })
      .orderBy('i.createdAt', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .skip(page.offset)
      .take(page.count)
      .getManyAndCount();
  }

  /** The permission filter of spec §2.4, including Rocket.Chat's mixed-grant quirk. */
  private visibleTo(g: IntegrationGrants): SelectQueryBuilder<Integration> {
    const query = this.repo.createQueryBuilder('i');
    const me = g.user.id;
    if (g.allOutgoing && g.allIncoming) return query;
    if (g.ownOutgoing && g.ownIncoming) return query.where('i.created_by_id = :me', { me });
    const branches: string[] = [];
    if (g.allOutgoing) branches.push(`i.type = '${OUTGOING}'`);
    if (g.allIncoming) branches.push(`i.type = '${INCOMING}'`);
    if (g.ownOutgoing) branches.push(`(i.created_by_id = :me AND i.type = '${OUTGOING}')`);
    if (g.ownIncoming) branches.push(`(i.created_by_id = :me AND i.type = '${INCOMING}')`);
    if (!branches.length) return query.where('false');
    return query.where(new Brackets((b) => b.where(branches.join(' OR '), { me })));
  }

  async insert(m: EntityManager, row: Partial<Integration> & { id: string }): Promise<void> {
    await m.insert(Integration, row);
  }

  /** Writes `changes` with `by` as `_updatedBy`; enabling clears why the server had disabled it. */
  async update(m: EntityManager, id: string, changes: Partial<Integration>, by: User): Promise<void> {
    await m.update(Integration, { id }, {
      ...changes,
      ...(changes.enabled === true ? { disabledReason: null } : {}),
      updatedAt: new Date(),
      updatedById: by.id,
      updatedByUsername: by.username,
    });
  }

  async delete(m: EntityManager, id: string): Promise<void> {
    await m.delete(Integration, { id });
  }

  /** Turns an enabled integration off on `by`'s account, saying why; undefined when it was off already. */
  async disable(m: EntityManager, id: string, reason: DisabledReason, by: Pick<User, 'id' | 'username'>): Promise<DisabledIntegration | undefined> {
    const [rows] = await m.query<[DisabledIntegration[], number]>(
      `UPDATE integrations SET enabled = false, disabled_reason = $4, updated_at = now(), updated_by_id = $2, updated_by_username = $3 WHERE id = $1 AND enabled
       RETURNING id, name, created_by_id AS "createdById", urls`,
      [id, by.id, by.username, reason],
    );
    return rows[0];
  }

  /** The integration's signing secret; one made before signing existed gets one now (once, whoever asks first). */
  async ensureSigningSecret(id: string): Promise<string | undefined> {
    const [rows] = await this.dataSource.query<[{ signing_secret: string }[], number]>(
      `UPDATE integrations SET signing_secret = coalesce(signing_secret, $2) WHERE id = $1 RETURNING signing_secret`,
      [id, newSigningSecret()],
    );
    return rows[0]?.signing_secret;
  }
}
