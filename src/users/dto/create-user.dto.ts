import { IsArray, IsBoolean, IsDefined, IsObject, IsOptional, IsString, MinLength } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

/** `POST users.create`, as Rocket.Chat's schema has it. */
export class CreateUserDto {
  @IsDefined({ message: ajv.required('email') })
  @IsString({ message: ajv.type('string') })
  email: string;

  @IsDefined({ message: ajv.required('name') })
  @IsString({ message: ajv.type('string') })
  name: string;

  @IsDefined({ message: ajv.required('password') })
  @IsString({ message: ajv.type('string') })
  @MinLength(1, { message: ajv.minLength(1) })
  password: string;

  @IsDefined({ message: ajv.required('username') })
  @IsString({ message: ajv.type('string') })
  username: string;

  @IsOptional()
  @IsArray({ message: ajv.type('array') })
  @IsString({ each: true, message: (a) => `/${a.property}/* must be string` })
  roles?: string[];

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  active?: boolean;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  joinDefaultChannels?: boolean;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  verified?: boolean;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  requirePasswordChange?: boolean;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  sendWelcomeEmail?: boolean;

  @IsOptional()
  @IsObject({ message: ajv.type('object') })
  customFields?: Record<string, unknown>;
}
