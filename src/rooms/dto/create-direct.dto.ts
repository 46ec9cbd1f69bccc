import { RequiredString } from '../../core/http/dto-fields';

/** `im.create`. */
export class CreateDirectDto {
  @RequiredString('username', { minLength: 1 })
  username: string;
}
