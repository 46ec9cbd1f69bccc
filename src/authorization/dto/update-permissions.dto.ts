import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDefined, IsString, MinLength, ValidateNested } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

export class PermissionChange {
  @IsDefined({ message: ajv.required('_id') })
  @IsString({ message: ajv.type('string') })
  @MinLength(1, { message: ajv.minLength(1) })
  _id: string;

  @IsDefined({ message: ajv.required('roles') })
  @IsArray({ message: ajv.type('array') })
  @IsString({ each: true, message: (a) => `/${a.property}/* must be string` })
  roles: string[];
}

export class UpdatePermissionsDto {
  @IsDefined({ message: ajv.required('permissions') })
  @IsArray({ message: ajv.type('array') })
  @ArrayMinSize(1, { message: '/permissions must NOT have fewer than 1 items' })
  @ValidateNested({ each: true })
  @Type(() => PermissionChange)
  permissions: PermissionChange[];
}
