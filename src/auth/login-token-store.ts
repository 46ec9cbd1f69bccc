import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { LoginToken } from './entities/login-token.entity';

/** The `login_tokens` table's owner: sessions (AuthService) and personal access tokens write through here. */
@Injectable()
export class LoginTokenStore {
  constructor(@InjectRepository(LoginToken) private readonly tokens: Repository<LoginToken>) {}

  findByHash(tokenHash: string): Promise<LoginToken | null> {
    return this.tokens.findOne({ where: { tokenHash } });
  }

  /** A user's personal access token by name. */
  findPersonal(userId: string, name: string): Promise<LoginToken | null> {
    return this.tokens.findOneBy({ userId, type: 'personalAccessToken', name });
  }

  /** A user's personal access tokens, oldest first. */
  listPersonal(userId: string): Promise<LoginToken[]> {
    return this.tokens.find({ where: { userId, type: 'personalAccessToken' }, order: { createdAt: 'ASC' } });
  }

  async insert(row: Partial<LoginToken>, m: EntityManager = this.tokens.manager): Promise<void> {
    await m.insert(LoginToken, row);
  }

  async delete(tokenHash: string, m: EntityManager = this.tokens.manager): Promise<void> {
    await m.delete(LoginToken, { tokenHash });
  }

  /** Runs `work` in one transaction (a token replaced by another under the same name). */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tokens.manager.transaction(work);
  }
}
