import { MigrationInterface } from 'typeorm';
import { Identity1763884800000 } from './1763884800000-identity';
import { ChatCore1763884900000 } from './1763884900000-chat-core';
import { Integrations1763885000000 } from './1763885000000-integrations';
import { Deliveries1763885100000 } from './1763885100000-deliveries';
import { OutboxConsumption1763885200000 } from './1763885200000-outbox-consumption';
import { SigningSecrets1763885300000 } from './1763885300000-signing-secrets';
import { ChangeNotifications1763885400000 } from './1763885400000-change-notifications';
import { TranspiledScripts1763885500000 } from './1763885500000-transpiled-scripts';
import { DeliveryMessageIds1763885600000 } from './1763885600000-delivery-message-ids';
import { HistoryWithoutSecrets1763885700000 } from './1763885700000-history-without-secrets';
import { RetentionIndexes1763885800000 } from './1763885800000-retention-indexes';
import { WakeDontPoll1763885900000 } from './1763885900000-wake-dont-poll';
import { ListCounts1763886000000 } from './1763886000000-list-counts';
import { SigningSecretRotation1763886100000 } from './1763886100000-signing-secret-rotation';
import { ScriptSecrets1763886200000 } from './1763886200000-script-secrets';
import { PersonalAccessTokens1763886300000 } from './1763886300000-personal-access-tokens';
import { ScriptRevisions1763886400000 } from './1763886400000-script-revisions';
import { IncomingCalls1763886500000 } from './1763886500000-incoming-calls';
import { IntegrationStats1763886600000 } from './1763886600000-integration-stats';
import { HookHistorySetting1763886700000 } from './1763886700000-hook-history-setting';
import { RecordedHeaders1763886800000 } from './1763886800000-recorded-headers';
import { ImportJobs1763886900000 } from './1763886900000-import-jobs';
import { CustomHeaders1763887000000 } from './1763887000000-custom-headers';
import { SharedLoginLimits1763887100000 } from './1763887100000-shared-login-limits';
import { DeliveryGates1763887200000 } from './1763887200000-delivery-gates';
import { DisabledReason1763887300000 } from './1763887300000-disabled-reason';

/**
 * Every migration, in order. The data source runs them at start; the TypeORM CLI reads this list too.
 * Add a generated migration here after `npm run migration:generate`.
 */
export const migrations: (new () => MigrationInterface)[] = [
  Identity1763884800000,
  ChatCore1763884900000,
  Integrations1763885000000,
  Deliveries1763885100000,
  OutboxConsumption1763885200000,
  SigningSecrets1763885300000,
  ChangeNotifications1763885400000,
  TranspiledScripts1763885500000,
  DeliveryMessageIds1763885600000,
  HistoryWithoutSecrets1763885700000,
  RetentionIndexes1763885800000,
  WakeDontPoll1763885900000,
  ListCounts1763886000000,
  SigningSecretRotation1763886100000,
  ScriptSecrets1763886200000,
  PersonalAccessTokens1763886300000,
  ScriptRevisions1763886400000,
  IncomingCalls1763886500000,
  IntegrationStats1763886600000,
  HookHistorySetting1763886700000,
  RecordedHeaders1763886800000,
  ImportJobs1763886900000,
  CustomHeaders1763887000000,
  SharedLoginLimits1763887100000,
  DeliveryGates1763887200000,
  DisabledReason1763887300000,
];
