import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { randomId } from '../core/ids/random-id';
import { ROCKET_CAT, TEST_ADMIN } from './default-users';
import { UsersService } from './users.service';

/** Creates `rocket.cat` and the first administrator when they are missing; never alters existing users. */
@Injectable()
export class UsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.users.ensure(ROCKET_CAT);
    const { username, password, email } = this.config.admin;
    if (username) {
      if (!password) {
        this.logger.warn(`ADMIN_USERNAME=${username} is set without ADMIN_PASS: no administrator was created`);
        return;
      }
      if (!(await this.users.findByUsername(username))) {
        await this.users.ensure({ id: randomId(), username, name: username, email, password, roles: ['admin'], verified: true });
        this.logger.log(`Created administrator ${username}`);
      }
    } else if (this.config.testMode) {
      await this.users.ensure(TEST_ADMIN);
    }
  }
}
