import { IsDefined, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { OptionalString } from '../../core/http/dto-fields';
import { PasswordInput } from '../../users/password-hasher';

@ValidatorConstraint({ name: 'passwordInput' })
class IsPasswordInput implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value === 'string') return value.length > 0;
    if (typeof value !== 'object' || value === null) return false;
    const { digest, algorithm } = value as Record<string, unknown>;
    return typeof digest === 'string' && /^[0-9a-f]{64}$/i.test(digest) && algorithm === 'sha-256';
  }

  defaultMessage(): string {
    return '/password must be a non-empty string or {"digest": "<sha-256 hex>", "algorithm": "sha-256"}';
  }
}

/** `POST login`: `{user, password}`, or `{username, password}`, or `{email, password}`. */
export class LoginDto {
  @OptionalString({ minLength: 1 })
  user?: string;

  @OptionalString({ minLength: 1 })
  username?: string;

  @OptionalString({ minLength: 1 })
  email?: string;

  @IsDefined({ message: ajv.required('password') })
  @Validate(IsPasswordInput)
  password: PasswordInput;
}
