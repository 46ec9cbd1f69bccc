import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_PERMISSIONS } from './default-permissions';
import { DEFAULT_ROLES } from './default-roles';

/**
 * Creates the default roles and permissions that are missing. Never changes existing rows, so an
 * administrator's edits survive restarts; safe when several processes start at once.
 */
@Injectable()
export class AuthorizationSeeder implements OnApplicationBootstrap {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const role of DEFAULT_ROLES) {
      await this.dataSource.query(
        'INSERT INTO roles (id, description, scope, protected) VALUES ($1, $2, $3, true) ON CONFLICT (id) DO NOTHING',
        [role.id, role.description, role.scope],
      );
    }
    for (const permission of DEFAULT_PERMISSIONS) {
      await this.dataSource.query('INSERT INTO permissions (id, roles) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
        permission.id,
        permission.roles,
      ]);
    }
  }
}
