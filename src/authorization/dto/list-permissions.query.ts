import { IsISO8601, IsOptional } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';

export class ListPermissionsQuery {
  /** Only permissions changed after this instant (ISO 8601). */
  @IsOptional()
  @IsISO8601({}, { message: ajv.format('date-time') })
  updatedSince?: string;
}
