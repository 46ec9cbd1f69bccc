import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MembershipService } from './membership.service';
import { RoomsService } from './rooms.service';

export const GENERAL_ROOM_ID = 'GENERAL';

/**
 * Creates #general (`_id` GENERAL), the default room every new user joins, when it is missing;
 * users that existed before it (the seeded admin and rocket.cat) join it then.
 */
@Injectable()
export class RoomsSeeder implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomsService,
    private readonly membership: MembershipService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (await this.rooms.createGeneral(m, GENERAL_ROOM_ID)) await this.membership.joinEveryone(m, GENERAL_ROOM_ID);
    });
  }
}
