import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiLoggedIn } from '../auth/api-logged-in.decorator';
import { CurrentUser } from '../auth/authenticated-user';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { PaginationQuery, resolvePage } from '../core/http/pagination';
import { CreateUserDto } from './dto/create-user.dto';
import { DeleteUserDto } from './dto/delete-user.dto';
import { UserLookupQuery } from './dto/user-lookup.query';
import { User } from './entities/user.entity';
import { toApiMe, toApiUser } from './user.mapper';
import { UsersService } from './users.service';
import { UserDirectory } from './user-directory';

const SORTABLE = { username: 'username', name: 'name', createdAt: 'createdAt', _id: 'id' };

@ApiTags('users')
@ApiLoggedIn()
@Controller('api/v1')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
  ) {}

  @Post('users.create')
  @RequirePermissions('create-user')
  async create(@Body() body: CreateUserDto) {
    const user = await this.users.create(body);
    return { user: toApiUser(user, { withEmail: true }), success: true };
  }

  @Get('users.info')
  async info(@Query() query: UserLookupQuery, @CurrentUser() me: User) {
    const { user, withEmail } = await this.directory.info(me, query);
    return { user: toApiUser(user, { withEmail }), success: true };
  }

  @Get('users.list')
  @RequirePermissions('view-d-room')
  async list(@Query() query: PaginationQuery, @CurrentUser() me: User) {
    const page = resolvePage(query, SORTABLE, { username: 'ASC' });
    const [seen, total] = await this.directory.list(me, page);
    return { users: seen.map(({ user, withEmail }) => toApiUser(user, { withEmail })), count: seen.length, offset: page.offset, total, success: true };
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
}
