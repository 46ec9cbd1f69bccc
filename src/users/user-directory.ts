import { Injectable } from '@nestjs/common';
import { PermissionsService } from '../authorization/permissions.service';
import { ApiError } from '../core/http/api-error';
import { Page } from '../core/http/pagination';
import { User } from './entities/user.entity';
import { UsersService } from './users.service';

/** A user as someone else sees them: their e-mail only for themselves or with view-full-other-user-info. */
export interface SeenUser {
  user: User;
  withEmail: boolean;
}

/** `users.info` and `users.list`: looking users up, and what of them the caller may see. */
@Injectable()
export class UserDirectory {
  constructor(
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  /** By `userId` or `username` (exactly one). */
  async info(me: User, ref: { userId?: string; username?: string }): Promise<SeenUser> {
    const user = await this.users.findNamed(ref);
    if (!user) throw ApiError.meteor('error-invalid-user', 'The required "userId" or "username" param provided does not match any users');
    return { user, withEmail: me.id === user.id || (await this.permissions.hasPermission(me, 'view-full-other-user-info')) };
  }

  async list(me: User, page: Page): Promise<[SeenUser[], number]> {
    const [users, total] = await this.users.list(page);
    const withEmail = await this.permissions.hasPermission(me, 'view-full-other-user-info');
    return [users.map((user) => ({ user, withEmail: withEmail || user.id === me.id })), total];
  }
}
