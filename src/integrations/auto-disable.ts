import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { MessagePoster } from '../messages/message-poster';
import { ROCKET_CAT } from '../users/default-users';
import { UsersService } from '../users/users.service';
import { DisabledIntegration, disableNotice, targetHost } from './disable-notice';
import { DisabledReason, Integration } from './entities/integration.entity';
import { IntegrationStore } from './integration-store';
import { DeliveryQueue } from './outgoing/delivery-queue';
import { IntegrationStats } from './stats/integration-stats';

/** Turned off by the server, which the admin pages offer to undo. */
export const disabledByServer = (i: Pick<Integration, 'enabled' | 'disabledReason'>): boolean => !i.enabled && i.disabledReason !== null;

/**
 * The server turning an outgoing integration off on its own account (`_updatedBy` rocket.cat,
 * `disabledReason` saying why): its target answered 410 Gone, or every delivery has failed for
 * AUTO_DISABLE_HOURS. The log says what happened at warn; the integration's creator gets a direct
 * message from rocket.cat, sent once (by whichever process disables it first). Its waiting
 * deliveries are held, not dropped: enabling it again delivers them. Its `_updatedAt` moves like on
 * any change, so a compiled script is compiled afresh if it is enabled again.
 */
@Injectable()
export class AutoDisable {
  private readonly logger = new Logger('Integrations');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: IntegrationStore,
    private readonly queue: DeliveryQueue,
    private readonly stats: IntegrationStats,
    private readonly users: UsersService,
    private readonly poster: MessagePoster,
    private readonly config: AppConfig,
  ) {}

  /** The target answered 410 Gone (`label` names the attempt in the log). */
  gone(integration: Pick<Integration, 'id' | 'urls'>, label: string): Promise<void> {
    return this.disable(integration.id, 'gone', `${label} answered 410 Gone`, `${targetHost(integration.urls)} answered 410 Gone, which says the receiver is gone for good`);
  }

  /** Among integrations that just had a failed attempt, those failing for long enough are turned off. Never throws. */
  async checkFailing(integrationIds: string[]): Promise<void> {
    const { hours, failures } = this.config.autoDisable;
    if (!integrationIds.length || hours <= 0) return;
    try {
      for (const failing of await this.stats.failingFor(integrationIds, hours, failures)) {
        const why = `every delivery to ${targetHost(failing.urls)} has failed for ${hours} hours or more (${failing.failures} attempts in a row; the last: ${failing.lastFailure ?? 'failed'})`;
        await this.disable(failing.id, 'failures', `integration ${failing.id}: ${why}`, why);
      }
    } catch (error) {
      this.logger.warn(`auto-disable check failed: ${(error as Error).message}`);
    }
  }

  private async disable(id: string, reason: DisabledReason, logLine: string, why: string): Promise<void> {
    const disabled = await this.dataSource.transaction(async (m) => {
      const row = await this.store.disable(m, id, reason, ROCKET_CAT);
      if (row) await this.queue.pauseFor(m, id);
      return row;
    });
    this.logger.warn(`${logLine}: the integration is disabled`);
    if (disabled) await this.tellOwner(disabled, why);
  }

  /** The disable notice; a failure to send it is logged, never thrown (the integration is off either way). */
  private async tellOwner(integration: DisabledIntegration, why: string): Promise<void> {
    try {
      const [owner, bot] = await Promise.all([this.users.findById(integration.createdById), this.users.findById(ROCKET_CAT.id)]);
      if (!owner || !bot || owner.id === bot.id) return;
      await this.poster.post(bot, { channel: `@${owner.username}`, text: disableNotice(integration, why) });
    } catch (error) {
      this.logger.warn(`integration ${integration.id}: the disable notice to its creator was not sent: ${(error as Error).message}`);
    }
  }
}
