import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../../core/http/api-error';
import { Page } from '../../core/http/pagination';
import { RowCountsFolder } from '../../core/database/row-counts-folder';
import { User } from '../../users/entities/user.entity';
import { IntegrationHistory } from '../entities/integration-history.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationStore } from '../integration-store';
import { DeliveryQueue } from '../outgoing/delivery-queue';
import { HISTORY_COUNTS, HistoryRecorder } from './history-recorder';
import { FAILED_STEP_PATTERN } from './history-steps';
import { IncomingCallLog } from '../incoming/incoming-call-log';
import { IncomingCall } from '../incoming/incoming-call.entity';
import { INCOMING, IntegrationType, OUTGOING } from '../entities/integration.entity';

/** A page of an integration's history, of its type's kind. */
export type HistoryPage =
  | { kind: typeof OUTGOING; rows: IntegrationHistory[]; total: number }
  | { kind: typeof INCOMING; rows: IncomingCall[]; total: number };

/** The most deliveries one recover queues; a larger outage is recovered in steps (the answer says how many went). */
export const RECOVER_LIMIT = 10_000;

const invalidIntegration = (details?: Record<string, unknown>) => ApiError.meteor('error-invalid-integration', 'Invalid integration', details);

/** Reading, clearing and replaying outgoing-integration history (spec §2.5, §2.8, §2.9). */
@Injectable()
export class HistoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly integrations: IntegrationStore,
    private readonly grantsOf: IntegrationPermissions,
    private readonly deliveries: DeliveryQueue,
    private readonly history: HistoryRecorder,
    private readonly counts: RowCountsFolder,
    private readonly calls: IncomingCallLog,
  ) {}

  /**
   * An integration's history: outgoing deliveries step by step, or (Hookline's own) the calls of
   * an incoming integration, each guarded by the permissions of its type (a 403 without any of
   * them; a foreign integration's history is simply empty for a holder of the own-permission
   * only). Totals come from per-day counts; in the default order (newest first) a deep page
   * starts at its day through the index instead of walking every newer record.
   */
  async list(caller: User, integrationId: string, page: Page, outcome?: 'ok' | 'error', only?: IntegrationType): Promise<HistoryPage> {
    const grants = await this.grantsOf.of(caller);
    // Asked for one kind (the API's routes), its permissions come before anything else, as Rocket.Chat checks them.
    if (only && !grants.all(only) && !grants.own(only)) throw ApiError.forbidden();
    if (!integrationId.trim()) throw ApiError.failure('Invalid integration id.');
    const integration = await this.integrations.findById(integrationId);
    const type = only ?? integration?.type ?? OUTGOING;
    if (!grants.all(type) && !grants.own(type)) throw ApiError.forbidden();
    // Another kind's integration has no history of this kind (Rocket.Chat's history holds only outgoing records).
    const visible = (grants.all(type) || integration?.createdById === caller.id) && (!integration || integration.type === type);
    if (type === INCOMING) {
      if (!visible) return { kind: INCOMING, rows: [], total: 0 };
      const [rows, total] = await this.calls.list(integrationId, page, outcome);
      return { kind: INCOMING, rows, total };
    }
    if (!visible) return { kind: OUTGOING, rows: [], total: 0 };
    const query = this.dataSource.manager
      .createQueryBuilder(IntegrationHistory, 'h')
      .where('h.integrationId = :integrationId', { integrationId });
    for (const [column, direction] of Object.entries(page.order)) query.addOrderBy(`h.${column}`, direction);
    query.addOrderBy('h.id', 'DESC').limit(page.count);
    if (outcome) {
      // Filtered totals are counted: the per-day counts know every record, not their outcomes.
      query.andWhere(outcome === 'error' ? '(h.error IS TRUE OR h.step ~ :failed)' : '(h.error IS NOT TRUE AND h.step !~ :failed)', { failed: FAILED_STEP_PATTERN });
      const [rows, total] = await query.offset(page.offset).getManyAndCount();
      return { kind: OUTGOING, rows, total };
    }
    const newestFirst = Object.keys(page.order).length === 1 && page.order.updatedAt === 'DESC';
    const start = await this.counts.locate(HISTORY_COUNTS, integrationId, newestFirst ? page.offset : 0);
    if (newestFirst && !start.until) return { kind: OUTGOING, rows: [], total: start.total };
    if (newestFirst) query.andWhere('h.updatedAt < :until', { until: start.until }).offset(start.skip);
    else query.offset(page.offset);
    return { kind: OUTGOING, rows: await query.getMany(), total: start.total };
  }

  /** One entry of the integration's history (a delivery attempt or an incoming call), with the visibility of `list`; null when there is none. */
  async entry(caller: User, integrationId: string, entryId: string): Promise<{ kind: typeof INCOMING; row: IncomingCall } | { kind: typeof OUTGOING; row: IntegrationHistory } | null> {
    const grants = await this.grantsOf.of(caller);
    const integration = await this.integrations.findById(integrationId);
    if (!integration) return null;
    if (!grants.all(integration.type) && !grants.own(integration.type)) throw ApiError.forbidden();
    if (!grants.covers(integration)) return null;
    if (integration.type === INCOMING) {
      const call = await this.calls.find(integrationId, entryId);
      return call ? { kind: INCOMING, row: call } : null;
    }
    const record = await this.dataSource.manager.findOneBy(IntegrationHistory, { id: entryId, integrationId });
    return record ? { kind: OUTGOING, row: record } : null;
  }

  async clear(caller: User, integrationId: string): Promise<void> {
    // Hookline's incoming call history is cleared under the incoming permissions; everything else
    // goes Rocket.Chat's way (the outgoing permissions, whatever the integration's type).
    const target = await this.integrations.findById(integrationId);
    if (target?.type === INCOMING && (await this.grantsOf.of(caller)).covers(target)) {
      await this.calls.deleteFor(integrationId);
      return;
    }
    const integration = await this.grantsOf.outgoingFor(caller, integrationId);
    if (!integration) throw invalidIntegration();
    await this.history.deleteFor(integrationId);
  }

  /**
   * Checks a replay request (spec §2.9, §5.9) and queues the recorded delivery again (to its
   * recorded url, with its recorded data; the delivery worker reloads current copies of the room,
   * message and users). A history without url is accepted and does nothing, as in Rocket.Chat.
   */
  async replay(caller: User, integrationId: string, historyId: string): Promise<void> {
    const integration = await this.grantsOf.outgoingFor(caller, integrationId);
    if (!integration) throw invalidIntegration({ method: 'replayOutgoingIntegration' });
    const history = await this.dataSource.manager.findOneBy(IntegrationHistory, { id: historyId, integrationId });
    if (!history) throw ApiError.meteor('error-invalid-integration-history', 'Invalid Integration History', { method: 'replayOutgoingIntegration' });
    if (integration.type !== OUTGOING) {
      throw ApiError.meteor('integration-type-must-be-outgoing', 'The integration type to replay must be an outgoing webhook.', {
        method: 'replayOutgoingIntegration',
      });
    }
    if (!history.data) {
      throw ApiError.meteor('history-data-must-be-defined', 'The history data must be defined to replay an integration.', {
        method: 'replayOutgoingIntegration',
      });
    }
    if (!history.url) return;
    await this.deliveries.enqueue([{ integrationId, event: history.event, url: history.url, payload: history.data }]);
    this.deliveries.announce();
  }

  /**
   * Hookline's own, Svix's "recover": every delivery of an outgoing integration that failed for
   * good since `since` (not one still waiting for a retry) is queued again, each a new delivery
   * with a new `webhook-id`, to its recorded url with its recorded data, as a replay is. At most
   * RECOVER_LIMIT at once, oldest first; answers how many were queued.
   */
  async recover(caller: User, integrationId: string, since: Date): Promise<number> {
    const integration = await this.grantsOf.outgoingFor(caller, integrationId);
    if (!integration) throw invalidIntegration({ method: 'recoverOutgoingIntegration' });
    if (integration.type !== OUTGOING) {
      throw ApiError.meteor('integration-type-must-be-outgoing', 'The integration type to recover must be an outgoing webhook.', { method: 'recoverOutgoingIntegration' });
    }
    const failed = await this.dataSource.manager
      .createQueryBuilder(IntegrationHistory, 'h')
      .where('h.integrationId = :integrationId AND h.createdAt >= :since', { integrationId, since })
      .andWhere('(h.error IS TRUE OR h.step ~ :failed)', { failed: FAILED_STEP_PATTERN })
      .andWhere(`h.step !~ '^going-to-retry-' AND h.url IS NOT NULL AND h.data IS NOT NULL`)
      .orderBy('h.createdAt', 'ASC')
      .limit(RECOVER_LIMIT)
      .getMany();
    if (!failed.length) return 0;
    await this.deliveries.enqueue(failed.map((h) => ({ integrationId, event: h.event, url: h.url as string, payload: h.data as Record<string, unknown> })));
    this.deliveries.announce();
    return failed.length;
  }
}

/** A point in time the caller names (ISO 8601). */
export function parseSince(text: string): Date {
  const since = new Date(text);
  if (Number.isNaN(since.getTime())) throw ApiError.failure('`since` must be a date and time (ISO 8601), for example 2026-12-07T10:00:00Z.');
  return since;
}
