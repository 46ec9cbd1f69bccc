import { Injectable } from '@nestjs/common';
import { ApiError } from '../../core/http/api-error';
import { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import { Integration, OUTGOING } from '../entities/integration.entity';
import { IntegrationStore } from '../integration-store';
import { CreateIntegration } from '../manage/create-integration';
import { RemoveIntegration } from '../manage/remove-integration';

interface SubscribeRequest {
  event?: unknown;
  name?: unknown;
  target_url?: unknown;
  data?: { channel_name?: unknown; trigger_words?: unknown; username?: unknown };
}

/**
 * `/hooks/add` and `/hooks/remove` (spec §4.1): a Zapier-style subscriber asks for an outgoing
 * sendMessage integration, or removes one. Both act as the hook's post-as user, so that user's
 * permissions apply.
 */
@Injectable()
export class HookSubscriptions {
  constructor(
    private readonly store: IntegrationStore,
    private readonly users: UsersService,
    private readonly creating: CreateIntegration,
    private readonly removing: RemoveIntegration,
  ) {}

  async subscribe(hook: Integration, body: unknown): Promise<Integration> {
    const request = (typeof body === 'object' && body !== null ? body : {}) as SubscribeRequest;
    const data = request.data ?? {};
    const prefixed = (sigil: string, value: unknown) => (typeof value === 'string' && value ? (value.startsWith(sigil) ? value : `${sigil}${value}`) : '');
    let channel: string;
    let enabled = true;
    if (request.event === 'newMessageOnChannel') {
      channel = prefixed('#', data.channel_name);
    } else if (request.event === 'newMessageToUser') {
      if (typeof data.username !== 'string' || !data.username) throw ApiError.failure('username-required');
      channel = prefixed('@', data.username);
      enabled = false;
    } else {
      throw ApiError.failure('invalid-event');
    }
    const caller = await this.postAs(hook);
    const triggerWords = typeof data.trigger_words === 'string' ? data.trigger_words.split(',').map((w) => w.trim()) : undefined;
    return this.creating.outgoing(caller, {
      type: OUTGOING,
      name: typeof request.name === 'string' ? request.name : 'Zapier',
      enabled,
      event: 'sendMessage',
      username: 'rocket.cat',
      channel,
      urls: typeof request.target_url === 'string' ? [request.target_url] : [],
      triggerWords,
      scriptEnabled: false,
    });
  }

  /** Removes the outgoing integration whose url is the body's `target_url`. */
  async unsubscribe(hook: Integration, body: unknown): Promise<void> {
    const targetUrl = typeof body === 'object' && body !== null ? (body as { target_url?: unknown }).target_url : undefined;
    const found = typeof targetUrl === 'string' ? await this.store.findByUrl(targetUrl) : null;
    if (!found || found.type !== OUTGOING) throw ApiError.failure('integration-not-found');
    await this.removing.remove(await this.postAs(hook), found, OUTGOING);
  }

  private async postAs(hook: Integration): Promise<User> {
    const user = await this.users.findById(hook.userId);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user');
    return user;
  }
}
