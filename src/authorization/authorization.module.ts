import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthorizationController } from './authorization.controller';
import { AuthorizationSeeder } from './authorization.seeder';
import { Permission } from './entities/permission.entity';
import { Role } from './entities/role.entity';
import { PermissionsGuard } from './permissions.guard';
import { PermissionsService } from './permissions.service';

/** Roles, permissions and the route guard. Global: every module may ask PermissionsService. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Role, Permission])],
  controllers: [AuthorizationController],
  providers: [PermissionsService, AuthorizationSeeder, PermissionsGuard],
  exports: [PermissionsService, PermissionsGuard],
})
export class AuthorizationModule {}
