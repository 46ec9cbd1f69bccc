import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { ApiError } from '../core/http/api-error';

interface Failures {
  count: number;
  last: number;
}

/** At most this many names and addresses are remembered; the oldest are forgotten first. */
const MAX_TRACKED = 100_000;

/**
 * Rocket.Chat's "block failed login attempts": after `perUser` failed logins for one user name,
 * or `perAddress` from one address, further logins for it are refused until `blockMs` have passed
 * since the last failure, even with the right password. A success clears the user's count.
 * Counted in this process.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('Login');
  private readonly byUser = new Map<string, Failures>();
  private readonly byAddress = new Map<string, Failures>();

  constructor(private readonly config: AppConfig) {}

  /** Throws Rocket.Chat's `error-login-blocked-for-…` while the user or the address is blocked. */
  assertAllowed(identifier: string, address: string): void {
    const { perUser, perAddress } = this.config.loginBlock;
    if (this.blocked(this.byAddress, address, perAddress)) {
      throw new ApiError(401, { status: 'error', error: 'error-login-blocked-for-ip', message: 'Login has been temporarily blocked for this IP' });
    }
    if (this.blocked(this.byUser, userKey(identifier), perUser)) {
      throw new ApiError(401, { status: 'error', error: 'error-login-blocked-for-user', message: 'Login has been temporarily blocked for this User' });
    }
  }

  failed(identifier: string, address: string): void {
    const { perUser, perAddress } = this.config.loginBlock;
    if (this.count(this.byUser, userKey(identifier), perUser) === perUser) {
      this.logger.warn(`logins for user "${identifier}" blocked for ${this.config.loginBlock.blockMs / 1000} s after ${perUser} failures`);
    }
    if (this.count(this.byAddress, address, perAddress) === perAddress) {
      this.logger.warn(`logins from ${address} blocked for ${this.config.loginBlock.blockMs / 1000} s after ${perAddress} failures`);
    }
  }

  succeeded(identifier: string): void {
    this.byUser.delete(userKey(identifier));
  }

  private blocked(map: Map<string, Failures>, key: string, limit: number): boolean {
    if (limit <= 0) return false;
    const entry = map.get(key);
    if (!entry) return false;
    if (Date.now() - entry.last >= this.config.loginBlock.blockMs) {
      map.delete(key);
      return false;
    }
    return entry.count >= limit;
  }

  private count(map: Map<string, Failures>, key: string, limit: number): number {
    if (limit <= 0) return 0;
    const now = Date.now();
    const entry = map.get(key);
    const count = entry && now - entry.last < this.config.loginBlock.blockMs ? entry.count + 1 : 1;
    map.delete(key);
    map.set(key, { count, last: now });
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value as string);
    return count;
  }
}

const userKey = (identifier: string) => identifier.trim().toLowerCase();
