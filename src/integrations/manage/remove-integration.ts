import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { Integration, IntegrationType, INCOMING, OUTGOING } from '../entities/integration.entity';
import { HistoryRecorder } from '../history/history-recorder';
import { IncomingCallLog } from '../incoming/incoming-call-log';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationStore } from '../integration-store';
import { IntegrationStats } from '../stats/integration-stats';

/** `integrations.remove` (spec §2.7) and a hook's `/hooks/remove` (spec §4.1). */
@Injectable()
export class RemoveIntegration {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: IntegrationStore,
    private readonly grantsOf: IntegrationPermissions,
    private readonly history: HistoryRecorder,
    private readonly calls: IncomingCallLog,
    private readonly stats: IntegrationStats,
  ) {}

  /**
   * A type naming webhook-outgoing finds the integration by `target_url` (first) or
   * `integrationId` and applies the outgoing rules; any other type finds it by `integrationId` and
   * applies the incoming ones. Returns what was removed.
   */
  async requested(caller: User, request: { type: string; integrationId?: string; target_url?: string }): Promise<Integration> {
    const outgoing = request.type.includes(OUTGOING);
    if (outgoing && !request.target_url && !request.integrationId) throw ApiError.failure('An integrationId or target_url needs to be provided.');
    const found = outgoing && request.target_url ? await this.store.findByUrl(request.target_url) : await this.store.findById(String(request.integrationId));
    if (!found) throw ApiError.failure('No integration found.');
    await this.remove(caller, found, outgoing ? OUTGOING : INCOMING);
    return found;
  }

  /** Deletes with the rules of the `path` type; its history, calls and stats go with it. */
  async remove(caller: User, integration: Integration, path: IntegrationType): Promise<void> {
    await this.grantsOf.assertRemovable(caller, integration, path);
    await this.dataSource.transaction(async (m) => {
      if (path === OUTGOING) await this.history.deleteFor(integration.id, m);
      else await this.calls.deleteFor(integration.id, m);
      await this.stats.deleteFor(integration.id, m);
      await this.store.delete(m, integration.id);
    });
  }
}
