import { Permission } from './entities/permission.entity';
import { Role } from './entities/role.entity';

export const toApiPermission = (p: Permission) => ({ _id: p.id, roles: p.roles, _updatedAt: p.updatedAt.toISOString() });

export const toApiRole = (r: Role) => ({
  _id: r.id,
  name: r.id,
  description: r.description,
  scope: r.scope,
  protected: r.protected,
  mandatory2fa: false,
  _updatedAt: r.updatedAt.toISOString(),
});
