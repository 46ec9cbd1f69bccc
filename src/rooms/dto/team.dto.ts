import { IsDefined, IsIn } from 'class-validator';
import { ajv } from '../../core/http/ajv-messages';
import { OptionalString, OptionalStringArray, RequiredString } from '../../core/http/dto-fields';
import { TeamType } from '../entities/team.entity';

/** `teams.create`: type 0 is public (main room a channel), 1 private (a group). */
export class CreateTeamDto {
  @RequiredString('name', { minLength: 1 })
  name: string;

  @IsDefined({ message: ajv.required('type') })
  @IsIn([0, 1], { message: '/type must be equal to one of the allowed values' })
  type: TeamType;

  @OptionalStringArray()
  members?: string[];
}

/** `teams.delete`: by `teamId` or `teamName`; `roomsToRemove` are deleted too, other team rooms stay. */
export class DeleteTeamDto {
  @OptionalString({ minLength: 1 })
  teamId?: string;

  @OptionalString({ minLength: 1 })
  teamName?: string;

  @OptionalStringArray()
  roomsToRemove?: string[];
}
