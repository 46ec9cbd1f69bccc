import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { Delivery } from './entities/delivery.entity';
import { IntegrationHistory } from './entities/integration-history.entity';
import { Integration } from './entities/integration.entity';
import { HistoryService } from './history/history.service';
import { IntegrationPermissions } from './integration-permissions';
import { IntegrationValidator } from './integration-validator';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsService } from './integrations.service';
import { DeliveryQueue } from './outgoing/delivery-queue';
import { RoomIntegrationsController } from './room-integrations.controller';
import { ScriptCompiler } from './scripts/script-compiler';

@Module({
  imports: [RoomsModule, UsersModule, TypeOrmModule.forFeature([Integration, IntegrationHistory, Delivery])],
  controllers: [IntegrationsController, RoomIntegrationsController],
  providers: [IntegrationsService, IntegrationValidator, IntegrationPermissions, HistoryService, ScriptCompiler, DeliveryQueue],
  exports: [IntegrationsService],
})
export class IntegrationsModule {}
