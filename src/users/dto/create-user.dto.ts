import { OptionalBoolean, OptionalObject, OptionalStringArray, RequiredString } from '../../core/http/dto-fields';

/** `POST users.create`, as Rocket.Chat's schema has it. */
export class CreateUserDto {
  @RequiredString('email')
  email: string;

  @RequiredString('name')
  name: string;

  @RequiredString('password', { minLength: 1 })
  password: string;

  @RequiredString('username')
  username: string;

  @OptionalStringArray()
  roles?: string[];

  @OptionalBoolean()
  active?: boolean;

  @OptionalBoolean()
  joinDefaultChannels?: boolean;

  @OptionalBoolean()
  verified?: boolean;

  @OptionalBoolean()
  requirePasswordChange?: boolean;

  @OptionalBoolean()
  sendWelcomeEmail?: boolean;

  @OptionalObject()
  customFields?: Record<string, unknown>;
}
