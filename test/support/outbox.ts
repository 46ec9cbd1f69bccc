import { DataSource } from 'typeorm';
import { DomainEventName } from '../../src/events/domain-events';
import { TestApp } from './test-app';

export interface RecordedEvent {
  event: DomainEventName;
  payload: Record<string, any>;
}

/** Watches the outbox: `since()` returns the events committed after the watcher was (re)started. */
export async function watchOutbox(t: TestApp) {
  const db = t.app.get(DataSource);
  const latest = async () => (await db.query<{ id: string }[]>(`SELECT coalesce(max(id), 0)::text AS id FROM outbox_events`))[0].id;
  let mark = await latest();
  return {
    async since(): Promise<RecordedEvent[]> {
      return db.query(`SELECT event, payload FROM outbox_events WHERE id > $1 ORDER BY id`, [mark]);
    },
    async reset(): Promise<void> {
      mark = await latest();
    },
  };
}

/** Deliveries of an integration not finished yet (waiting, running or waiting to retry). */
export async function openDeliveries(t: TestApp, integrationId: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query<{ n: number }[]>(`SELECT count(*)::int AS n FROM integration_deliveries WHERE integration_id = $1`, [integrationId]);
  return n;
}
