import { Injectable } from '@nestjs/common';
import { PermissionsService } from '../authorization/permissions.service';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { Integration, IntegrationType, OUTGOING } from './entities/integration.entity';
import { ALL_MANAGE_PERMISSIONS, IntegrationGrants, MANAGE } from './integration-grants';
import { IntegrationStore } from './integration-store';

const unauthorized = () => ApiError.meteor('not_authorized', 'Unauthorized');
const invalidIntegration = () => ApiError.meteor('error-invalid-integration', 'Invalid integration');

/**
 * Who may act on which integration: the caller's grants, and the named rules Rocket.Chat applies
 * per method (each its own order of not-found and not-permitted, which its tests check).
 */
@Injectable()
export class IntegrationPermissions {
  constructor(
    private readonly permissions: PermissionsService,
    private readonly store: IntegrationStore,
  ) {}

  async of(user: User): Promise<IntegrationGrants> {
    const held = await this.permissions.granted(user.roles, ALL_MANAGE_PERMISSIONS);
    return new IntegrationGrants(
      user,
      held.has(MANAGE.allIncoming),
      held.has(MANAGE.ownIncoming),
      held.has(MANAGE.allOutgoing),
      held.has(MANAGE.ownOutgoing),
    );
  }

  /** `integrations.get` (spec §2.6): not-found before permission. */
  async readable(caller: User, id: string, createdById?: string): Promise<Integration> {
    const integration = await this.store.findOne({ id, createdById });
    if (!integration) throw ApiError.failure('The integration does not exists.');
    if (!(await this.of(caller)).covers(integration)) throw ApiError.failure('not-authorized');
    return integration;
  }

  /**
   * The update methods' lookup (spec §3.3, §3.4): neither permission of `type` (outgoing when not
   * given) is refused first; then the integration `id` of that type, if the grants cover it.
   */
  async updatable(grants: IntegrationGrants, id: string, type?: IntegrationType): Promise<Integration | null> {
    const checkType = type ?? OUTGOING;
    if (!grants.any(checkType)) throw unauthorized();
    return this.store.findOne({ id, type, createdById: grants.all(checkType) ? undefined : grants.user.id });
  }

  /** The integration, if the caller may change it (the rules of integrations.update for its type): revisions, revert, dry runs. */
  async changeable(caller: User, id: string): Promise<Integration> {
    const found = await this.store.findById(id);
    const grants = await this.of(caller);
    const type = found?.type ?? OUTGOING;
    if (!grants.any(type)) throw unauthorized();
    if (!found || (!grants.all(type) && found.createdById !== caller.id)) throw invalidIntegration();
    return found;
  }

  /** Outgoing-integration lookups for clear-history, replay and rotation (spec §2.8, §2.9): null when not found or not the caller's. */
  async outgoingFor(caller: User, id: string): Promise<Integration | null> {
    const grants = await this.of(caller);
    if (!grants.allOutgoing && !grants.ownOutgoing) throw unauthorized();
    return this.store.findOne(grants.allOutgoing ? { id } : { id, createdById: caller.id, withEvent: true });
  }

  /** `integrations.remove` under the rules of `path`'s type (spec §2.7). */
  async assertRemovable(caller: User, integration: Integration, path: IntegrationType): Promise<void> {
    const grants = await this.of(caller);
    if (!grants.any(path)) throw unauthorized();
    if (!grants.all(path) && integration.createdById !== caller.id) throw invalidIntegration();
  }
}
