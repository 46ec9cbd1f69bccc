import { Injectable } from '@nestjs/common';
import { PermissionsService } from '../authorization/permissions.service';
import { uniqueViolation } from '../core/database/unique-violation';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { LoginToken } from './entities/login-token.entity';
import { newLoginToken } from './login-token';
import { LoginTokenStore } from './login-token-store';

export const PERSONAL_ACCESS_TOKENS_PERMISSION = 'create-personal-access-tokens';
const METHOD = {
  generate: 'personalAccessTokens:generateToken',
  regenerate: 'personalAccessTokens:regenerateToken',
  remove: 'personalAccessTokens:removeToken',
};

/** What users.getPersonalAccessTokens shows of a token: never the token. */
export interface PersonalAccessTokenInfo {
  name: string;
  createdAt: Date;
  lastTokenPart: string;
  bypassTwoFactor: boolean;
}

/**
 * Rocket.Chat's personal access tokens: named login tokens that do not expire, for CI systems and
 * scripts. Only their SHA-256 is stored; a token is shown once, when it is made.
 */
@Injectable()
export class PersonalAccessTokensService {
  constructor(
    private readonly tokens: LoginTokenStore,
    private readonly permissions: PermissionsService,
  ) {}

  async generate(user: User, name: string, bypassTwoFactor = false): Promise<string> {
    await this.assertMay(user, METHOD.generate);
    try {
      return await this.insert(user, name, bypassTwoFactor);
    } catch (error) {
      if (uniqueViolation(error) === undefined) throw error;
      throw ApiError.meteor('error-token-already-exists', 'A token with this name already exists', { method: METHOD.generate });
    }
  }

  /** A new token under the same name (and two-factor setting); the old one stops working. */
  async regenerate(user: User, name: string): Promise<string> {
    await this.assertMay(user, METHOD.regenerate);
    const existing = await this.find(user, name, METHOD.regenerate);
    return this.tokens.transaction(async (m) => {
      await this.tokens.delete(existing.tokenHash, m);
      const { token, hash } = newLoginToken();
      await this.tokens.insert(this.row(user, name, existing.bypassTwoFactor ?? false, token, hash), m);
      return token;
    });
  }

  async remove(user: User, name: string): Promise<void> {
    await this.assertMay(user, METHOD.remove);
    const existing = await this.find(user, name, METHOD.remove);
    await this.tokens.delete(existing.tokenHash);
  }

  async list(user: User): Promise<PersonalAccessTokenInfo[]> {
    if (!(await this.permissions.hasPermission(user, PERSONAL_ACCESS_TOKENS_PERMISSION))) throw ApiError.meteor('not-authorized', 'Not Authorized');
    const rows = await this.tokens.listPersonal(user.id);
    return rows.map((r) => ({ name: r.name as string, createdAt: r.createdAt, lastTokenPart: r.lastTokenPart as string, bypassTwoFactor: r.bypassTwoFactor ?? false }));
  }

  private async insert(user: User, name: string, bypassTwoFactor: boolean): Promise<string> {
    const { token, hash } = newLoginToken();
    await this.tokens.insert(this.row(user, name, bypassTwoFactor, token, hash));
    return token;
  }

  private row(user: User, name: string, bypassTwoFactor: boolean, token: string, hash: string): Partial<LoginToken> {
    return { tokenHash: hash, userId: user.id, type: 'personalAccessToken', name, lastTokenPart: token.slice(-6), bypassTwoFactor };
  }

  private async find(user: User, name: string, method: string): Promise<LoginToken> {
    const existing = await this.tokens.findPersonal(user.id, name);
    if (!existing) throw ApiError.meteor('error-token-does-not-exists', 'Token does not exist', { method });
    return existing;
  }

  private async assertMay(user: User, method: string): Promise<void> {
    if (!(await this.permissions.hasPermission(user, PERSONAL_ACCESS_TOKENS_PERMISSION))) throw ApiError.meteor('not-authorized', 'Not Authorized', { method });
  }
}
