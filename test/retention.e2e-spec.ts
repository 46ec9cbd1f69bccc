import { DataSource } from 'typeorm';
import { OutboxPruner } from '../src/events/outbox-pruner';
import { HistoryPruner } from '../src/integrations/history/history-pruner';
import { Client, loginAsAdmin } from './support/api';
import { createIntegration, outgoingBody } from './support/integrations';
import { databaseKind, startTestApp, TestApp } from './support/test-app';
import { daysAgo, insertHistory } from './support/factories';

/** Consumed outbox events and old history are deleted in batches; the rest stays. */
describe.each([
  ['HISTORY_RETENTION_DAYS=30 (the default)', 30],
  ['HISTORY_RETENTION_DAYS=0 (keep everything)', 0],
])(`retention with %s (${databaseKind})`, (_label, days) => {
  let t: TestApp;
  let admin: Client;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({ historyRetentionDays: days });
    admin = await loginAsAdmin(t);
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const prunedAll = async (pruner: { pruneBatch(): Promise<number> }) => {
    while ((await pruner.pruneBatch()) > 0);
  };

  it('deletes outbox events consumed more than an hour ago, never waiting or recent ones', async () => {
    await db.query(
      `INSERT INTO outbox_events (event, payload, created_at, consumed_at) VALUES
         ('sendMessage', '{"old":"consumed"}', now() - interval '3 hours', now() - interval '2 hours'),
         ('sendMessage', '{"recent":"consumed"}', now() - interval '3 hours', now() - interval '10 minutes'),
         ('sendMessage', '{"old":"waiting"}', now() - interval '3 hours', NULL)`,
    );
    await prunedAll(t.app.get(OutboxPruner));
    const rows: { payload: Record<string, string> }[] = await db.query(`SELECT payload FROM outbox_events WHERE payload ?| array['old','recent']`);
    expect(rows.map((r) => r.payload).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ old: 'waiting' }, { recent: 'consumed' }]);
  });

  it(days ? 'deletes history records older than the retention' : 'keeps every history record', async () => {
    const integration = await createIntegration(admin, outgoingBody());
    for (const [id, age] of [['aged-40-days', 40], ['aged-1-day', 1]] as const) {
      await insertHistory(t, integration, { id, step: 'finished', createdAt: daysAgo(age), updatedAt: daysAgo(age) });
    }
    await prunedAll(t.app.get(HistoryPruner));
    const history = (await admin.get('/api/v1/integrations.history', { id: integration._id }).expect(200)).body.history as { _id: string }[];
    expect(history.map((h) => h._id).sort()).toEqual(days ? ['aged-1-day'] : ['aged-1-day', 'aged-40-days']);
  });
});
