import { NewUser } from './users.service';

/** Rocket.Chat's built-in bot, the default post-as user of integrations. */
export const ROCKET_CAT: NewUser & { id: string } = {
  id: 'rocket.cat',
  username: 'rocket.cat',
  name: 'Rocket.Cat',
  roles: ['bot'],
  type: 'bot',
};

/** The account Rocket.Chat's own API tests log in with; seeded only with TEST_MODE=true. */
export const TEST_ADMIN_USERNAME = 'rocketchat.internal.admin.test';
export const TEST_ADMIN: NewUser & { id: string } = {
  id: TEST_ADMIN_USERNAME,
  username: TEST_ADMIN_USERNAME,
  name: TEST_ADMIN_USERNAME,
  email: `${TEST_ADMIN_USERNAME}@rocket.chat`,
  password: TEST_ADMIN_USERNAME,
  roles: ['admin'],
  verified: true,
};
