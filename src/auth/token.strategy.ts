import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { AuthenticatedRequest } from './authenticated-user';
import { AuthService } from './auth.service';

export const TOKEN_STRATEGY = 'rocketchat-token';

/** Rocket.Chat's REST authentication: the `X-User-Id` and `X-Auth-Token` headers. */
@Injectable()
export class TokenStrategy extends PassportStrategy(Strategy, TOKEN_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(request: AuthenticatedRequest) {
    const userId = request.headers['x-user-id'];
    const authToken = request.headers['x-auth-token'];
    if (typeof userId !== 'string' || typeof authToken !== 'string' || !userId || !authToken) return false;
    const session = await this.auth.authenticate(userId, authToken);
    if (!session) return false;
    request.authTokenHash = session.tokenHash;
    return session.user;
  }
}
