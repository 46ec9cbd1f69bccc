import { Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { OUTGOING } from '../entities/integration.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { newSigningSecret } from '../outgoing/request-signer';
import { IntegrationChanges } from './integration-changes';

/** How long a rotated-out signing secret keeps signing unless the caller says otherwise (a day). */
const DEFAULT_KEEP_OLD_SECONDS = 86_400;

/**
 * Hookline's own `integrations.rotateSigningSecret`: a new signing secret for an outgoing
 * integration (the rules of updating it). The old one keeps signing beside it for
 * `keepOldForSeconds`, so receivers can switch without losing a delivery; a rotation during an
 * overlap drops the secret before the old one.
 */
@Injectable()
export class RotateSigningSecret {
  private readonly logger = new Logger('Integrations');

  constructor(
    private readonly grantsOf: IntegrationPermissions,
    private readonly changes: IntegrationChanges,
  ) {}

  async rotate(caller: User, id: string, keepOldForSeconds = DEFAULT_KEEP_OLD_SECONDS): Promise<{ signingSecret: string; previousExpiresAt: Date | null }> {
    const integration = await this.grantsOf.outgoingFor(caller, id);
    if (!integration || integration.type !== OUTGOING) throw ApiError.meteor('error-invalid-integration', 'Invalid integration');
    const signingSecret = newSigningSecret();
    const previousExpiresAt = integration.signingSecret && keepOldForSeconds > 0 ? new Date(Date.now() + keepOldForSeconds * 1000) : null;
    await this.changes.save(caller, id, {
      signingSecret,
      previousSigningSecret: previousExpiresAt ? integration.signingSecret : null,
      previousSigningSecretExpiresAt: previousExpiresAt,
    });
    this.logger.log(`integration ${id}: signing secret rotated by ${caller.username}; the old one signs until ${previousExpiresAt?.toISOString() ?? 'now'}`);
    return { signingSecret, previousExpiresAt };
  }
}
