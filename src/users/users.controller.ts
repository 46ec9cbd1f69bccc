import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { PermissionsService } from '../authorization/permissions.service';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ajv } from '../core/http/ajv-messages';
import { ApiError } from '../core/http/api-error';
import { PaginationQuery, resolvePage } from '../core/http/pagination';
import { CreateUserDto } from './dto/create-user.dto';
import { DeleteUserDto } from './dto/delete-user.dto';
import { UserLookupQuery } from './dto/user-lookup.query';
import { User } from './entities/user.entity';
import { toApiMe, toApiUser } from './user.mapper';
import { UsersService } from './users.service';

const SORTABLE = { username: 'username', name: 'name', createdAt: 'createdAt', _id: 'id' };

@ApiTags('users')
@ApiLoggedIn()
@Controller('api/v1')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  @Post('users.create')
  @RequirePermissions('create-user')
  async create(@Body() body: CreateUserDto) {
    const user = await this.users.create(body);
    return { user: toApiUser(user, { withEmail: true }), success: true };
  }

  @Get('users.info')
  async info(@Query() query: UserLookupQuery, @CurrentUser() me: User) {
    if (!query.userId === !query.username) {
      throw ApiError.invalidParams([ajv.required('userId'), ajv.required('username'), ajv.oneOf]);
    }
    const user = query.userId ? await this.users.findById(query.userId) : await this.users.findByUsername(query.username as string);
    if (!user) {
      throw ApiError.meteor('error-invalid-user', 'The required "userId" or "username" param provided does not match any users');
    }
    return { user: toApiUser(user, { withEmail: await this.maySeeEmails(me, user) }), success: true };
  }

  @Get('users.list')
  @RequirePermissions('view-d-room')
  async list(@Query() query: PaginationQuery, @CurrentUser() me: User) {
    const page = resolvePage(query, SORTABLE, { username: 'ASC' });
    const [users, total] = await this.users.list(page);
    const withEmail = await this.permissions.hasPermission(me, 'view-full-other-user-info');
    return {
      users: users.map((u) => toApiUser(u, { withEmail: withEmail || u.id === me.id })),
      count: users.length,
      offset: page.offset,
      total,
      success: true,
    };
  }

  @Post('users.delete')
  @RequirePermissions('delete-user')
  async delete(@Body() body: DeleteUserDto) {
    await this.users.delete(body.userId);
    return { success: true };
  }

  @Get('me')
  me(@CurrentUser() me: User) {
    return { ...toApiMe(me), success: true };
  }

  private async maySeeEmails(me: User, user: User): Promise<boolean> {
    return me.id === user.id || this.permissions.hasPermission(me, 'view-full-other-user-info');
  }
}
