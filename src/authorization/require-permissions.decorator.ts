import { SetMetadata } from '@nestjs/common';

export const REQUIRED_PERMISSIONS = Symbol('REQUIRED_PERMISSIONS');

/** The route needs ANY of these permissions (Rocket.Chat's `permissionsRequired`, `hasAny`); else 403. */
export const RequirePermissions = (...permissionIds: string[]) => SetMetadata(REQUIRED_PERMISSIONS, permissionIds);
