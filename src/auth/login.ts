import { Injectable } from '@nestjs/common';
import { ajv } from '../core/http/ajv-messages';
import { ApiError } from '../core/http/api-error';
import { User } from '../users/entities/user.entity';
import { PasswordInput } from '../users/password-hasher';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';

/** `POST /api/v1/login`: who is named (user, username or email), the login limits, then the credentials. */
@Injectable()
export class Login {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(body: { user?: string; username?: string; email?: string; password: PasswordInput }, address: string): Promise<{ user: User; authToken: string }> {
    const identifier = body.user ?? body.username ?? body.email;
    if (!identifier) throw ApiError.invalidParams([ajv.required('user'), ajv.required('username'), ajv.oneOf]);
    await this.throttle.assertAllowed(identifier, address);
    const session = await this.auth.login(identifier, body.password);
    if (!session) {
      await this.throttle.failed(identifier, address);
      throw ApiError.raw(401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' }, 'unauthenticated', 'Unauthorized');
    }
    await this.throttle.succeeded(identifier);
    return session;
  }
}
