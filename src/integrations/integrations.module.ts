import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagesModule } from '../messages/messages.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { Delivery } from './entities/delivery.entity';
import { DeliveryThrottle } from './entities/delivery-throttle.entity';
import { DeliveryUrlOwner } from './entities/delivery-url-owner.entity';
import { IntegrationHistory } from './entities/integration-history.entity';
import { Integration } from './entities/integration.entity';
import { HistoryRecorder } from './history/history-recorder';
import { DeliveryResults } from './outgoing/delivery-results';
import { ListenedEvents } from './outgoing/listened-events';
import { HistoryPruner } from './history/history-pruner';
import { HistoryService } from './history/history.service';
import { HooksController } from './incoming/hooks.controller';
import { IncomingService } from './incoming/incoming.service';
import { IntegrationPermissions } from './integration-permissions';
import { IntegrationValidator } from './integration-validator';
import { IntegrationsController } from './integrations.controller';
import { IntegrationStore } from './integration-store';
import { IntegrationManagement } from './manage/integration-management';
import { AutoDisable } from './auto-disable';
import { HookSubscriptions } from './incoming/hook-subscriptions';
import { CreateIntegration } from './manage/create-integration';
import { FieldCheck } from './manage/field-check';
import { IntegrationChanges } from './manage/integration-changes';
import { IntegrationReads } from './manage/integration-reads';
import { RemoveIntegration } from './manage/remove-integration';
import { RotateSigningSecret } from './manage/rotate-signing-secret';
import { ScriptRevisions } from './manage/script-revisions';
import { UpdateIntegration } from './manage/update-integration';
import { DeliveryQueue } from './outgoing/delivery-queue';
import { DeliveryExecutor } from './outgoing/delivery-executor';
import { DeliveryWorker } from './outgoing/delivery-worker';
import { OutgoingDispatcher } from './outgoing/outgoing-dispatcher';
import { OutgoingReplies } from './outgoing/outgoing-replies';
import { RoomIntegrationsController } from './room-integrations.controller';
import { ScriptCompiler } from './scripts/script-compiler';
import { ScriptSandbox } from './scripts/script-sandbox';
import { SecretsVault } from './secrets/secrets-vault';
import { DryRunService } from './dry-run/dry-run.service';
import { IncomingCallLog } from './incoming/incoming-call-log';
import { IntegrationStats } from './stats/integration-stats';
import { RocketChatImportService } from './import/rocketchat-import.service';
import { ImportIntegrations } from './import/import-integrations';
import { IntegrationExport } from './import/integration-export';
import { ImportJobs } from './import/import-jobs';
import { CustomHeaders } from './outgoing/custom-headers';
import { ImportJob } from './import/import-job.entity';
import { IncomingCall } from './incoming/incoming-call.entity';
import { ScriptRevisionLog } from './revisions/script-revision-log';
import { ScriptRevision } from './revisions/script-revision.entity';
import { IntegrationSecret } from './secrets/integration-secret.entity';
import { IntegrationHealth } from './stats/integration-health.entity';
import { IntegrationStat } from './stats/integration-stat.entity';

@Module({
  imports: [RoomsModule, MessagesModule, UsersModule, TypeOrmModule.forFeature([Integration, IntegrationHistory, Delivery, DeliveryUrlOwner, DeliveryThrottle, IntegrationSecret, IntegrationStat, IntegrationHealth, ScriptRevision, IncomingCall, ImportJob])],
  controllers: [IntegrationsController, RoomIntegrationsController, HooksController],
  providers: [IntegrationStore, IntegrationChanges, AutoDisable, HookSubscriptions, CreateIntegration, UpdateIntegration, RemoveIntegration, IntegrationReads, ScriptRevisions, RotateSigningSecret, FieldCheck, IntegrationManagement, IntegrationValidator, IntegrationPermissions, HistoryService, ScriptCompiler, DeliveryQueue, ScriptSandbox, IncomingService, OutgoingDispatcher, HistoryRecorder, OutgoingReplies, DeliveryExecutor, DeliveryResults, DeliveryWorker, HistoryPruner, ListenedEvents, SecretsVault, ScriptRevisionLog, DryRunService, IncomingCallLog, IntegrationStats, RocketChatImportService, ImportIntegrations, IntegrationExport, ImportJobs, CustomHeaders],
  exports: [IntegrationStore, CreateIntegration, UpdateIntegration, RemoveIntegration, IntegrationReads, ScriptRevisions, RotateSigningSecret, FieldCheck, IntegrationManagement, IntegrationPermissions, HistoryService, DryRunService, IntegrationStats, ImportIntegrations, IntegrationExport, ImportJobs, CustomHeaders],
})
export class IntegrationsModule {}
