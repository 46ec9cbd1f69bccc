import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { parseIncomingChannels, parseOutgoingChannels, SCOPED_CHANNELS } from '../channels';
import { IntegrationType, INCOMING } from '../entities/integration.entity';
import { IntegrationPermissions } from '../integration-permissions';
import { IntegrationValidator } from '../integration-validator';

/**
 * One field checked as a create would check it, for forms that check as you type: the API's
 * message for the channel list or the post-as user, or null when it would pass.
 */
@Injectable()
export class FieldCheck {
  constructor(
    private readonly grantsOf: IntegrationPermissions,
    private readonly validator: IntegrationValidator,
    private readonly users: UsersService,
  ) {}

  async check(caller: User, type: IntegrationType, field: 'channel' | 'username', value: string): Promise<string | null> {
    try {
      if (field === 'username') return (await this.users.findByExactUsername(value.trim())) ? null : 'Invalid user';
      const grants = await this.grantsOf.of(caller);
      const targets = type === INCOMING ? parseIncomingChannels(value) : parseOutgoingChannels(value);
      const named = targets.filter((t) => !SCOPED_CHANNELS.includes(t.toLowerCase()));
      await this.validator.assertTargets(caller, named, grants.all(type) && grants.own(type));
      return null;
    } catch (error) {
      if (ApiError.is(error)) return error.message;
      throw error;
    }
  }
}
