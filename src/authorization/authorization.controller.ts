import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { toApiPermission, toApiRole } from './authorization.mapper';
import { ListPermissionsQuery } from './dto/list-permissions.query';
import { UpdatePermissionsDto } from './dto/update-permissions.dto';
import { PermissionsService } from './permissions.service';
import { RequirePermissions } from './require-permissions.decorator';

@ApiTags('permissions')
@ApiLoggedIn()
@Controller('api/v1')
export class AuthorizationController {
  constructor(private readonly permissions: PermissionsService) {}

  @Get('permissions.listAll')
  async listAll(@Query() query: ListPermissionsQuery) {
    const since = query.updatedSince ? new Date(query.updatedSince) : undefined;
    const update = (await this.permissions.listPermissions(since)).map(toApiPermission);
    return { update, remove: [], success: true };
  }

  @Post('permissions.update')
  @RequirePermissions('access-permissions')
  async update(@Body() body: UpdatePermissionsDto) {
    await this.permissions.updatePermissions(body.permissions.map((p) => ({ id: p._id, roles: p.roles })));
    const permissions = (await this.permissions.listPermissions()).map(toApiPermission);
    return { permissions, success: true };
  }

  @Get('roles.list')
  async listRoles() {
    return { roles: (await this.permissions.listRoles()).map(toApiRole), success: true };
  }
}
