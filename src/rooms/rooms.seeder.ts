import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export const GENERAL_ROOM_ID = 'GENERAL';

/**
 * Creates #general (`_id` GENERAL), the default room every new user joins, when it is missing;
 * users that existed before it (the seeded admin and rocket.cat) join it then.
 */
@Injectable()
export class RoomsSeeder implements OnApplicationBootstrap {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const created: unknown[] = await m.query(
        `INSERT INTO rooms (id, type, name, fname, is_default) VALUES ($1, 'c', 'general', 'general', true)
         ON CONFLICT DO NOTHING RETURNING id`,
        [GENERAL_ROOM_ID],
      );
      if (created.length) {
        await m.query(`INSERT INTO subscriptions (room_id, user_id) SELECT $1, id FROM users ON CONFLICT DO NOTHING`, [
          GENERAL_ROOM_ID,
        ]);
      }
    });
  }
}
