import { IsBoolean, IsDefined, IsOptional, IsString, MinLength } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

export class DeleteUserDto {
  @IsDefined({ message: ajv.required('userId') })
  @IsString({ message: ajv.type('string') })
  @MinLength(1, { message: ajv.minLength(1) })
  userId: string;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  confirmRelinquish?: boolean;
}
