import { Injectable } from '@nestjs/common';
import { ApiError } from '../core/http/api-error';
import { MembershipService } from '../rooms/membership.service';
import { RoomsService } from '../rooms/rooms.service';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { parseOutgoingChannels } from './channels';
import { ScriptError } from './entities/integration.entity';
import { IntegrationInput } from './integration-input';
import { IntegrationGrants } from './integration-grants';
import { isOutgoingEvent, OUTGOING_EVENTS } from './outgoing-events';
import { DEFAULT_SCRIPT_ENGINE, ScriptCompiler } from './scripts/script-compiler';

/** The outgoing fields that pass validation, normalised (spec §3.2 step 4). */
export interface ValidOutgoing {
  event: string;
  user: User;
  channel: string[];
  urls: string[];
  triggerWords: string[] | null;
  targetRoom: string | null;
  runOnEdits: boolean | null;
  retryCount: number | null;
  retryDelay: string | null;
  compiled: { scriptCompiled: string | null; scriptError: ScriptError | null } | null;
}

/** The highest `deliveryRateLimit`: beyond it a limit would not limit anything a process can send. */
const MAX_DELIVERY_RATE = 100000;

/** Absent, not a string, or only whitespace: Rocket.Chat's test for a missing text field. */
export const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/** The checks create and update share, in Rocket.Chat's order. */
@Injectable()
export class IntegrationValidator {
  constructor(
    private readonly rooms: RoomsService,
    private readonly users: UsersService,
    private readonly membership: MembershipService,
    private readonly scripts: ScriptCompiler,
  ) {}

  /**
   * Every `#room` and `@user` must exist; a caller without both the all- and own-permission of
   * the type must be subscribed to it (spec §3.1 step 10; for `@user` that means a subscription
   * to the user's id, which never exists: Rocket.Chat's quirk, kept).
   */
  async assertTargets(caller: User, channels: string[], holdsBoth: boolean): Promise<void> {
    for (const channel of channels) {
      const ref = channel.slice(1);
      const recordId =
        channel[0] === '#'
          ? (await this.rooms.findByIdOrExactName(ref))?.id
          : channel[0] === '@'
            ? (await this.users.findByIdOrExactUsername(ref))?.id
            : undefined;
      if (!recordId) throw ApiError.meteor('error-invalid-room', 'Invalid room');
      if (!holdsBoth && !(await this.membership.subscription(recordId, caller.id))) {
        throw ApiError.meteor('error-invalid-channel', 'Invalid Channel');
      }
    }
  }

  /** Compiles unless the engine is frozen, the script is disabled or blank (spec §3.5). */
  compileIfEnabled(input: IntegrationInput, engine: string): ValidOutgoing['compiled'] {
    if (this.scripts.isFrozen(engine) || input.scriptEnabled !== true || isBlank(input.script)) return null;
    return this.scripts.compile(input.script as string, { transpile: input.skipTranspile !== true });
  }

  /** `validateOutgoingIntegration` (spec §3.2 step 4, a–m). */
  async validateOutgoing(grants: IntegrationGrants, input: IntegrationInput): Promise<ValidOutgoing> {
    const channelText = typeof input.channel === 'string' && !input.channel.trim() ? undefined : input.channel;
    if (isBlank(input.event) || !isOutgoingEvent(input.event)) throw ApiError.meteor('error-invalid-event-type', 'Invalid event type');
    const event = input.event;
    const uses = OUTGOING_EVENTS[event];
    if (isBlank(input.username)) throw ApiError.meteor('error-invalid-username', 'Invalid username');
    if (uses.usesTargetRoom && !input.targetRoom) throw ApiError.meteor('error-invalid-targetRoom', 'Invalid Target Room');
    if (!Array.isArray(input.urls) || !input.urls.every((u) => typeof u === 'string')) throw ApiError.meteor('error-invalid-urls', 'Invalid URLs');
    const urls = input.urls.filter((u) => u.trim() !== '');
    if (urls.length === 0) throw ApiError.meteor('error-invalid-urls', 'Invalid URLs');

    let channel: string[] = [];
    if (uses.usesChannel) {
      channel = parseOutgoingChannels(channelText);
    } else if (!grants.allOutgoing) {
      throw ApiError.meteor('error-invalid-permissions', 'Invalid permission for required Integration creation.');
    }

    const user = await this.users.findByExactUsername(input.username as string);
    if (!user) throw ApiError.meteor('error-invalid-user', 'Invalid user (did you delete the `rocket.cat` user?)');

    let triggerWords: string[] | null = null;
    if (uses.usesTriggerWords && input.triggerWords != null) {
      if (!Array.isArray(input.triggerWords)) throw ApiError.meteor('error-invalid-triggerWords', 'Invalid triggerWords');
      triggerWords = input.triggerWords.filter((w) => w.trim() !== '');
    }

    const compiled = this.compileIfEnabled(input, input.scriptEngine ?? DEFAULT_SCRIPT_ENGINE);
    const runOnEdits = input.runOnEdits == null ? null : input.runOnEdits === true;

    const holdsBoth = grants.allOutgoing && grants.ownOutgoing;
    for (const target of channel) {
      if (target === 'all_public_channels') continue;
      if (target === 'all_private_groups' || target === 'all_direct_messages') {
        if (!grants.allOutgoing) throw ApiError.meteor('error-invalid-channel', 'Invalid Channel');
        continue;
      }
      await this.assertTargets(grants.user, [target], holdsBoth);
    }

    let retryCount = input.retryCount ?? null;
    let retryDelay = input.retryDelay ?? null;
    if (input.retryFailedCalls) {
      const parsed = parseInt(String(retryCount), 10);
      retryCount = Number.isNaN(parsed) || parsed <= 0 ? 4 : parsed;
      retryDelay = isBlank(retryDelay) ? 'powers-of-ten' : (retryDelay as string).toLowerCase();
    }

    // Hookline's own field, checked after all of Rocket.Chat's so their answers come first.
    const rate = input.deliveryRateLimit;
    if (typeof rate === 'number' && !(rate > 0 && rate <= MAX_DELIVERY_RATE)) {
      throw ApiError.meteor('error-invalid-deliveryRateLimit', `deliveryRateLimit must be more than 0 and at most ${MAX_DELIVERY_RATE} deliveries a second`);
    }

    return { event, user, channel, urls, triggerWords, targetRoom: input.targetRoom ?? null, runOnEdits, retryCount, retryDelay, compiled };
  }
}
