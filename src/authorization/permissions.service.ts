import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { ApiError } from '../core/http/api-error';
import { Permission } from './entities/permission.entity';
import { Role } from './entities/role.entity';

/** Whoever is asking: the roles they hold globally, plus any they hold in the room concerned. */
export interface RoleHolder {
  roles: string[];
}

/**
 * Answers "may this user do X". Answers are kept in memory until the permissions or roles
 * change (ChangeFeed), so a `permissions.update` applies to the very next request in this
 * process and, through the database's change notifications, in every other one.
 */
@Injectable()
export class PermissionsService {
  private readonly grants: CachedLookup<{ ids: string[] }>;

  constructor(
    @InjectRepository(Permission) private readonly permissions: Repository<Permission>,
    @InjectRepository(Role) private readonly roles: Repository<Role>,
    changes: ChangeFeed,
  ) {
    this.grants = new CachedLookup(changes, ['permissions', 'roles']);
  }

  /** The subset of `permissionIds` granted to any of `roles`. */
  async granted(roles: string[], permissionIds: string[]): Promise<Set<string>> {
    if (roles.length === 0 || permissionIds.length === 0) return new Set();
    const key = JSON.stringify([[...roles].sort(), [...permissionIds].sort()]);
    const found = await this.grants.get(key, async () => {
      const rows: { id: string }[] = await this.permissions.query(
        'SELECT id FROM permissions WHERE id = ANY($1) AND roles && $2::text[]',
        [permissionIds, roles],
      );
      return { ids: rows.map((r) => r.id) };
    });
    return new Set(found?.ids);
  }

  async hasPermission(who: RoleHolder, permissionId: string, roomRoles: string[] = []): Promise<boolean> {
    return (await this.granted([...who.roles, ...roomRoles], [permissionId])).size === 1;
  }

  async hasAny(who: RoleHolder, permissionIds: string[], roomRoles: string[] = []): Promise<boolean> {
    return (await this.granted([...who.roles, ...roomRoles], permissionIds)).size > 0;
  }

  async listPermissions(updatedSince?: Date): Promise<Permission[]> {
    const query = this.permissions.createQueryBuilder('p').orderBy('p.id', 'ASC');
    if (updatedSince) query.where('p.updated_at > :updatedSince', { updatedSince });
    return query.getMany();
  }

  async listRoles(): Promise<Role[]> {
    return this.roles.find({ order: { id: 'ASC' } });
  }

  async roleExists(roleId: string): Promise<boolean> {
    return this.roles.exist({ where: { id: roleId } });
  }

  /** Replaces the roles of each named permission, all or nothing. */
  async updatePermissions(changes: { id: string; roles: string[] }[]): Promise<void> {
    const knownRoles = new Set((await this.roles.find({ select: { id: true } })).map((r) => r.id));
    for (const change of changes) {
      const unknown = change.roles.find((r) => !knownRoles.has(r));
      if (unknown !== undefined) {
        throw ApiError.meteor('error-invalid-role', `Invalid role: ${unknown}`, { method: 'authorization:updatePermissions' });
      }
    }
    await this.permissions.manager.transaction(async (manager) => {
      for (const change of changes) {
        const result = await manager.update(Permission, { id: change.id }, { roles: [...new Set(change.roles)] });
        if (!result.affected) {
          throw ApiError.meteor('error-invalid-permission', `Invalid permission: ${change.id}`, {
            method: 'authorization:updatePermissions',
          });
        }
      }
    });
  }
}
