import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { IntegrationHistory } from '../../src/integrations/entities/integration-history.entity';
import { TestApp } from './test-app';

/**
 * Rows tests need that no API call makes the way they need them (an old record, a finished
 * delivery without a delivery): written straight to the table, with the fields every row has.
 */

/** A history record of `integration` (the API's integration document); returns its id. */
export async function insertHistory(t: TestApp, integration: Record<string, any>, fields: Partial<IntegrationHistory> = {}): Promise<string> {
  const row: Partial<IntegrationHistory> = {
    id: randomUUID().replace(/-/g, '').slice(0, 17),
    integrationId: integration._id,
    integrationCreatedById: integration._createdBy._id,
    integration,
    step: 'after-http-call',
    event: 'sendMessage',
    data: { text: 'hello' },
    url: integration.urls?.[0] ?? null,
    ...fields,
  };
  await t.app.get(DataSource).getRepository(IntegrationHistory).insert(row as QueryDeepPartialEntity<IntegrationHistory>);
  return row.id as string;
}

/** A day count ago, for rows dated in the past. */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
