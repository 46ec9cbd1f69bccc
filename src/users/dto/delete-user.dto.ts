import { OptionalBoolean, RequiredString } from '../../core/http/dto-fields';

export class DeleteUserDto {
  @RequiredString('userId', { minLength: 1 })
  userId: string;

  @OptionalBoolean()
  confirmRelinquish?: boolean;
}
