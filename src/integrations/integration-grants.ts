import { User } from '../users/entities/user.entity';
import { Integration, IntegrationType, INCOMING } from './entities/integration.entity';

export const MANAGE = {
  allIncoming: 'manage-incoming-integrations',
  ownIncoming: 'manage-own-incoming-integrations',
  allOutgoing: 'manage-outgoing-integrations',
  ownOutgoing: 'manage-own-outgoing-integrations',
} as const;

export const ALL_MANAGE_PERMISSIONS = Object.values(MANAGE);

/** The caller's four integration permissions, read in one query. */
export class IntegrationGrants {
  constructor(
    readonly user: User,
    readonly allIncoming: boolean,
    readonly ownIncoming: boolean,
    readonly allOutgoing: boolean,
    readonly ownOutgoing: boolean,
  ) {}

  all(type: IntegrationType): boolean {
    return type === INCOMING ? this.allIncoming : this.allOutgoing;
  }

  own(type: IntegrationType): boolean {
    return type === INCOMING ? this.ownIncoming : this.ownOutgoing;
  }

  /** Holds either permission for `type`. */
  any(type: IntegrationType): boolean {
    return this.all(type) || this.own(type);
  }

  /** May read or change this integration: the all-permission, or own-permission and creator. */
  covers(integration: Integration): boolean {
    return this.all(integration.type) || (this.own(integration.type) && integration.createdById === this.user.id);
  }
}
