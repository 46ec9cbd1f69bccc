import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDefined, ValidateNested } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { RequiredString, StringArray } from '../../core/http/dto-fields';

export class PermissionChange {
  @RequiredString('_id', { minLength: 1 })
  _id: string;

  @StringArray('roles')
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
