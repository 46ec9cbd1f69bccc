import { Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { CachedLookup } from '../core/database/cached-lookup';
import { ChangeFeed } from '../core/database/change-feed';
import { secretsEqual } from '../core/ids/secret-compare';
import { User } from '../users/entities/user.entity';
import { PasswordInput } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import { LoginToken } from './entities/login-token.entity';
import { hashLoginToken, newLoginToken } from './login-token';
import { LoginTokenStore } from './login-token-store';

@Injectable()
export class AuthService {
  private readonly sessions: CachedLookup<LoginToken>;

  constructor(
    private readonly tokens: LoginTokenStore,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    changes: ChangeFeed,
  ) {
    this.sessions = new CachedLookup(changes, ['login_tokens']);
  }

  /** Checks the credentials and opens a session; null when they are wrong (the caller answers 401). */
  async login(identifier: string, password: PasswordInput): Promise<{ user: User; authToken: string } | null> {
    const user = await this.users.findByCredentials(identifier, password);
    if (!user) return null;
    const { token, hash } = newLoginToken();
    await this.tokens.insert({ tokenHash: hash, userId: user.id });
    return { user, authToken: token };
  }

  async logout(tokenHash: string): Promise<void> {
    await this.tokens.delete(tokenHash);
  }

  /**
   * The active user owning this token, or null. The token is found by its SHA-256 (an attacker
   * controls nothing of the hash, so the index lookup leaks nothing), and the user id is compared
   * in constant time. A session older than LOGIN_EXPIRATION_DAYS is over; a personal access
   * token lasts until it is removed.
   */
  async authenticate(userId: string, authToken: string): Promise<{ user: User; tokenHash: string } | null> {
    const tokenHash = hashLoginToken(authToken);
    const session = await this.sessions.get(tokenHash, () => this.tokens.findByHash(tokenHash));
    if (!session || !secretsEqual(session.userId, userId)) return null;
    if (session.type === 'resume' && session.createdAt.getTime() < Date.now() - this.config.loginExpirationDays * 86_400_000) return null;
    const user = await this.users.cachedById(session.userId);
    return user?.active ? { user, tokenHash } : null;
  }
}
