import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { IntegrationHistory } from '../../src/integrations/entities/integration-history.entity';
import type { ClaimedDelivery } from '../../src/integrations/outgoing/delivery-queue';
import type { Integration } from '../../src/integrations/entities/integration.entity';
import type { User } from '../../src/users/entities/user.entity';
import type { TestApp } from './test-app';

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

/**
 * Builders of rows as the services see them, one per table, for the service-tier specs (fakes, no
 * database): every field a row has, with `fields` over them.
 */
let serial = 0;
const nextId = (prefix: string) => `${prefix}${(serial += 1).toString().padStart(6, '0')}`;

/** A `users` row: an active user with the role `user`. */
export function aUser(fields: Partial<User> = {}): User {
  const id = fields.id ?? nextId('user');
  return Object.assign(
    { id, username: id, name: id, email: null, emailVerified: false, passwordHash: null, roles: ['user'], active: true, type: 'user', requirePasswordChange: false, createdAt: new Date(0), updatedAt: new Date(0) },
    fields,
  );
}

/** An `integrations` row: an enabled outgoing sendMessage integration on #general, created by `admin`. */
export function anIntegration(fields: Partial<Integration> = {}): Integration {
  return Object.assign(
    {
      id: nextId('integration'), type: 'webhook-outgoing', name: 'Test', enabled: true, username: 'rocket.cat', userId: 'rocket.cat', channel: ['#general'],
      alias: null, avatar: null, emoji: null, scriptEnabled: false, script: null, scriptEngine: 'isolated-vm', skipTranspile: null, scriptCompiled: null, scriptError: null,
      overrideDestinationChannelEnabled: false, token: 'token', event: 'sendMessage', urls: ['http://target.test/hook'], triggerWords: null, triggerWordAnywhere: null,
      targetRoom: null, impersonateUser: null, runOnEdits: null, retryFailedCalls: null, retryCount: null, retryDelay: null, deliveryRateLimit: null, disabledReason: null,
      signingSecret: null, hookHistory: null, secretNames: null, headerNames: null, previousSigningSecret: null, previousSigningSecretExpiresAt: null,
      createdAt: new Date(0), createdById: 'admin', createdByUsername: 'admin', updatedAt: new Date(0), updatedById: null, updatedByUsername: null,
    },
    fields,
  );
}

/** An `integration_deliveries` row as a claim hands it to the worker: the first attempt of a sendMessage delivery. */
export function aDelivery(fields: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  return { id: nextId('delivery'), integrationId: 'integration', event: 'sendMessage', messageId: nextId('message'), url: 'http://target.test/hook', payload: { text: 'hello' }, attempt: 0, ...fields };
}
