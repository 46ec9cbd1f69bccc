import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PermissionsService } from '../authorization/permissions.service';
import { RequirePermissions } from '../authorization/require-permissions.decorator';
import { ApiError } from '../core/http/api-error';
import { resolvePage } from '../core/http/pagination';
import { MANAGE } from '../integrations/integration-grants';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { UiExceptionFilter } from './ui-exception.filter';
import { offsetOf, pageLinks } from './ui-paging';
import { UiPages } from './ui-pages';
import { formList, formText, UiRequest } from './ui-request';
import { UiRoute } from './ui-route.decorator';

const PAGE_SIZE = 100;
const MAX_SEARCH = 100;
const INTEGRATION_PERMISSIONS = Object.values(MANAGE);

/** Users (create, reset a password, roles) and who holds the four integration permissions. */
@UiRoute()
@UseFilters(UiExceptionFilter)
@Controller('ui')
export class UsersPagesController {
  constructor(
    private readonly pages: UiPages,
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  @Get('users')
  @RequirePermissions('view-user-administration')
  list(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    return this.usersPage(request, reply, {});
  }

  private async usersPage(request: UiRequest, reply: FastifyReply, extra: Record<string, unknown>, status = 200) {
    const offset = offsetOf(request.query);
    const search = searchOf(request.query);
    const [users, total] = await this.users.list(resolvePage({ offset, count: PAGE_SIZE }, {}, { username: 'ASC' }), search || undefined);
    const roles = (await this.permissions.listRoles()).map((r) => r.id);
    const held = await this.permissions.granted((request.user as User).roles, ['create-user', 'edit-other-user-password', 'assign-roles']);
    return this.pages.render(
      request,
      reply,
      'users',
      {
        title: 'Users',
        users: users.map((u) => ({ id: u.id, username: u.username, name: u.name, email: u.email, roles: u.roles, active: u.active, bot: u.type === 'bot', roleChoices: roles.map((role) => ({ role, held: u.roles.includes(role) })) })),
        total,
        search,
        ...pageLinks(offset, PAGE_SIZE, total, search ? { q: search } : {}),
        roles,
        may: { create: held.has('create-user'), password: held.has('edit-other-user-password'), roles: held.has('assign-roles') },
        ...extra,
      },
      status,
    );
  }

  @Post('users')
  @RequirePermissions('create-user')
  async create(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const form = { username: formText(request.body, 'username').trim(), name: formText(request.body, 'name').trim(), email: formText(request.body, 'email').trim() };
    const password = formText(request.body, 'password');
    const roles = formList(request.body, 'roles');
    if (password.length < 8) return this.usersPage(request, reply, { form, error: 'The password needs at least 8 characters.' }, 400);
    try {
      await this.users.create({ ...form, name: form.name || form.username, email: form.email || undefined, password, roles: roles.length ? roles : ['user'], verified: true });
    } catch (error) {
      if (!ApiError.is(error) || error.status >= 500) throw error;
      return this.usersPage(request, reply, { form, error: error.message }, error.status);
    }
    return this.pages.redirect(request, reply, '/ui/users', `Created ${form.username}.`);
  }

  @Post('users/:id/password')
  @RequirePermissions('edit-other-user-password')
  async resetPassword(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    const password = formText(request.body, 'password');
    if (password.length < 8) return this.usersPage(request, reply, { error: 'The new password needs at least 8 characters.' }, 400);
    await this.users.setPassword(id, password);
    return this.pages.redirect(request, reply, '/ui/users', 'Password changed.');
  }

  @Post('users/:id/roles')
  @RequirePermissions('assign-roles')
  async setRoles(@Req() request: UiRequest, @Res() reply: FastifyReply, @Param('id') id: string) {
    await this.users.setRoles(id, formList(request.body, 'roles'));
    return this.pages.redirect(request, reply, '/ui/users', 'Roles saved.');
  }

  @Get('permissions')
  @RequirePermissions('access-permissions')
  async permissionsPage(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    const roles = (await this.permissions.listRoles()).map((r) => r.id);
    const all = await this.permissions.listPermissions();
    const rows = INTEGRATION_PERMISSIONS.map((id) => {
      const granted = all.find((p) => p.id === id)?.roles ?? [];
      return { id, cells: roles.map((role) => ({ role, granted: granted.includes(role) })) };
    });
    return this.pages.render(request, reply, 'permissions', { title: 'Integration permissions', roles, rows });
  }

  @Post('permissions')
  @RequirePermissions('access-permissions')
  async savePermissions(@Req() request: UiRequest, @Res() reply: FastifyReply) {
    // One checkbox per (permission, role): "grant" values are "permission role".
    const granted = formList(request.body, 'grant').map((pair) => pair.split(' '));
    await this.permissions.updatePermissions(INTEGRATION_PERMISSIONS.map((id) => ({ id, roles: granted.filter(([p]) => p === id).map(([, role]) => role) })));
    return this.pages.redirect(request, reply, '/ui/permissions', 'Permissions saved.');
  }
}

/** The users page's search text (`?q=`), trimmed and cut to a username's length at most. */
function searchOf(query: unknown): string {
  const raw = (query as { q?: unknown } | undefined)?.q;
  return typeof raw === 'string' ? raw.trim().slice(0, MAX_SEARCH) : '';
}
