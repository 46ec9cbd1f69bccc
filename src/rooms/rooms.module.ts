import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { Room } from './entities/room.entity';
import { Subscription } from './entities/subscription.entity';
import { Team } from './entities/team.entity';
import { MembershipService } from './membership.service';
import { RoomsController } from './rooms.controller';
import { RoomsSeeder } from './rooms.seeder';
import { RoomsService } from './rooms.service';
import { RoomRequests } from './room-requests';
import { TeamsController } from './teams.controller';
import { TeamsService } from './teams.service';

@Module({
  imports: [UsersModule, TypeOrmModule.forFeature([Room, Subscription, Team])],
  controllers: [RoomsController, TeamsController],
  providers: [RoomsService, MembershipService, RoomsSeeder, TeamsService, RoomRequests],
  exports: [RoomsService, MembershipService],
})
export class RoomsModule {}
