import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../core/http/api-error';
import { AuthenticatedRequest } from '../auth/authenticated-user';
import { PermissionsService } from './permissions.service';
import { REQUIRED_PERMISSIONS } from './require-permissions.decorator';

/** Enforces @RequirePermissions (any of) after authentication; refusal is Rocket.Chat's 403. */
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly permissions: PermissionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_PERMISSIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!user) throw ApiError.unauthenticated();
    if (!(await this.permissions.hasAny(user, required))) throw ApiError.forbidden();
    return true;
  }
}
