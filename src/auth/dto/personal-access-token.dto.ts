import { IsBoolean, IsOptional } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

/** `{tokenName, bypassTwoFactor?}`: a missing name is answered with Rocket.Chat's own failure text (see the controller). */
export class PersonalAccessTokenDto {
  @IsOptional()
  tokenName?: unknown;

  @IsOptional()
  @IsBoolean({ message: ajv.type('boolean') })
  bypassTwoFactor?: boolean;
}
