import { Injectable } from '@nestjs/common';
import { Page } from '../../core/http/pagination';
import { Room } from '../../rooms/entities/room.entity';
import { User } from '../../users/entities/user.entity';
import { Integration } from '../entities/integration.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationStore } from '../integration-store';
import { ApiStats, IntegrationStats } from '../stats/integration-stats';

/** An integration as it is read: the row and its delivery health. */
export interface IntegrationView {
  integration: Integration;
  stats?: ApiStats;
}

/** The read model the API's get/list and the admin pages share: integrations the caller may see, with their stats. */
@Injectable()
export class IntegrationReads {
  constructor(
    private readonly store: IntegrationStore,
    private readonly grantsOf: IntegrationPermissions,
    private readonly stats: IntegrationStats,
  ) {}

  /** `integrations.get` (spec §2.6). */
  async get(caller: User, id: string, createdById?: string): Promise<IntegrationView> {
    const integration = await this.grantsOf.readable(caller, id, createdById);
    return (await this.withStats([integration]))[0];
  }

  /** `integrations.list` (spec §2.4). */
  async list(caller: User, filter: { name?: string; type?: string }, page: Page): Promise<[IntegrationView[], number]> {
    const [found, total] = await this.store.listVisible(await this.grantsOf.of(caller), filter, page);
    return [await this.withStats(found), total];
  }

  /**
   * Integrations aimed at a room (`channels.getIntegrations`), among those the caller may see: by
   * its id or name, and (unless asked not to) those aimed at all public channels or all private
   * groups, as the room is one.
   */
  async forRoom(caller: User, room: Pick<Room, 'id' | 'name' | 'type'>, include: { publicChannels: boolean; privateGroups: boolean }, page: Page): Promise<[IntegrationView[], number]> {
    const keys = [`#${room.id}`, ...(room.name ? [`#${room.name}`] : [])];
    if (room.type === 'c' && include.publicChannels) keys.push('all_public_channels');
    if (room.type === 'p' && include.privateGroups) keys.push('all_private_groups');
    const [found, total] = await this.store.forRoomVisible(await this.grantsOf.of(caller), keys, page);
    return [await this.withStats(found), total];
  }

  /** One integration's delivery health (its page). */
  async statsOf(integration: Integration): Promise<ApiStats | undefined> {
    return (await this.withStats([integration]))[0].stats;
  }

  private async withStats(integrations: Integration[]): Promise<IntegrationView[]> {
    const stats = await this.stats.of(integrations);
    return integrations.map((integration) => ({ integration, stats: stats.get(integration.id) }));
  }
}
