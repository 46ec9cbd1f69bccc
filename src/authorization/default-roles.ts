import { RoleScope } from './entities/role.entity';

/** The roles a fresh server has (chat-core spec, "Default data"). */
export const DEFAULT_ROLES: ReadonlyArray<{ id: string; description: string; scope: RoleScope }> = [
  { id: 'admin', description: 'Admin', scope: 'Users' },
  { id: 'user', description: '', scope: 'Users' },
  { id: 'bot', description: '', scope: 'Users' },
  { id: 'app', description: '', scope: 'Users' },
  { id: 'owner', description: 'Owner', scope: 'Subscriptions' },
  { id: 'moderator', description: 'Moderator', scope: 'Subscriptions' },
];
