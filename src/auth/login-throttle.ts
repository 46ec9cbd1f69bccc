import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { ApiError } from '../core/http/api-error';

const blocked = (error: string, message: string) => ApiError.raw(401, { status: 'error', error, message }, 'login-blocked', message);

/** Rows older than the block are deleted with every this-many failures. */
const PRUNE_EVERY = 100;

/**
 * Rocket.Chat's "block failed login attempts": after `perUser` failed logins for one user name,
 * or `perAddress` from one address, further logins for it are refused until `blockMs` have passed
 * since the last failure, even with the right password. A success clears the user's count. The
 * owner of `login_failures`: counted in PostgreSQL, so every process of a cluster holds the same
 * count (logins are rare; a statement per attempt is cheap).
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('Login');
  private failuresSincePrune = 0;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Throws Rocket.Chat's `error-login-blocked-for-…` while the user or the address is blocked. */
  async assertAllowed(identifier: string, address: string): Promise<void> {
    const { perUser, perAddress, blockMs } = this.config.loginBlock;
    if (perUser <= 0 && perAddress <= 0) return;
    const rows = await this.dataSource.query<{ key: string; failures: number }[]>(
      `SELECT key, failures FROM login_failures WHERE key = ANY($1) AND last_failed_at > now() - $2 * interval '1 millisecond'`,
      [[addressKey(address), userKey(identifier)], blockMs],
    );
    const failures = (key: string) => rows.find((r) => r.key === key)?.failures ?? 0;
    if (perAddress > 0 && failures(addressKey(address)) >= perAddress) {
      throw blocked('error-login-blocked-for-ip', 'Login has been temporarily blocked for this IP');
    }
    if (perUser > 0 && failures(userKey(identifier)) >= perUser) {
      throw blocked('error-login-blocked-for-user', 'Login has been temporarily blocked for this User');
    }
  }

  async failed(identifier: string, address: string): Promise<void> {
    const { perUser, perAddress, blockMs } = this.config.loginBlock;
    const counted = [...(perUser > 0 ? [userKey(identifier)] : []), ...(perAddress > 0 ? [addressKey(address)] : [])];
    if (!counted.length) return;
    // A failure after the block has run out starts a new count.
    const rows = await this.dataSource.query<{ key: string; failures: number }[]>(
      `INSERT INTO login_failures AS f (key, failures, last_failed_at) SELECT k, 1, now() FROM unnest($1::text[]) AS k
       ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN f.last_failed_at > now() - $2 * interval '1 millisecond' THEN f.failures + 1 ELSE 1 END, last_failed_at = now()
       RETURNING key, failures`,
      [counted, blockMs],
    );
    for (const { key, failures } of rows) {
      if (key === userKey(identifier) && failures === perUser) this.logger.warn(`logins for user "${identifier}" blocked for ${blockMs / 1000} s after ${perUser} failures`);
      if (key === addressKey(address) && failures === perAddress) this.logger.warn(`logins from ${address} blocked for ${blockMs / 1000} s after ${perAddress} failures`);
    }
    if (++this.failuresSincePrune >= PRUNE_EVERY) {
      this.failuresSincePrune = 0;
      await this.dataSource.query(`DELETE FROM login_failures WHERE last_failed_at < now() - $1 * interval '1 millisecond'`, [blockMs]);
    }
  }

  async succeeded(identifier: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE key = $1`, [userKey(identifier)]);
  }
}

const userKey = (identifier: string) => `user:${identifier.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
