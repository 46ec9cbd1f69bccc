import { IsOptional, IsString, MinLength } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

/** `?userId=` or `?username=` (users.info). */
export class UserLookupQuery {
  @IsOptional()
  @IsString({ message: ajv.type('string') })
  @MinLength(1, { message: ajv.minLength(1) })
  userId?: string;

  @IsOptional()
  @IsString({ message: ajv.type('string') })
  @MinLength(1, { message: ajv.minLength(1) })
  username?: string;
}
