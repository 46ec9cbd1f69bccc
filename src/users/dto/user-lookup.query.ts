import { OptionalString } from '../../core/http/dto-fields';

/** `?userId=` or `?username=` (users.info). */
export class UserLookupQuery {
  @OptionalString({ minLength: 1 })
  userId?: string;

  @OptionalString({ minLength: 1 })
  username?: string;
}
