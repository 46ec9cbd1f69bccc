import { Identity1763884800000 } from './1763884800000-identity';
import { ChatCore1763884900000 } from './1763884900000-chat-core';

/**
 * Every migration, in order. The data source runs them at start; the TypeORM CLI reads this list too.
 * Add a generated migration here after `npm run migration:generate`.
 */
export const migrations: Function[] = [Identity1763884800000, ChatCore1763884900000];
