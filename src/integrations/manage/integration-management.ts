import { Injectable } from '@nestjs/common';
import { CreateIntegration } from './create-integration';
import { FieldCheck } from './field-check';
import { IntegrationReads } from './integration-reads';
import { RemoveIntegration } from './remove-integration';
import { RotateSigningSecret } from './rotate-signing-secret';
import { ScriptRevisions } from './script-revisions';
import { UpdateIntegration } from './update-integration';

/** The management use cases side by side, for the two front ends that offer them all: the REST API and the admin pages. */
@Injectable()
export class IntegrationManagement {
  constructor(
    readonly creating: CreateIntegration,
    readonly updating: UpdateIntegration,
    readonly removing: RemoveIntegration,
    readonly reads: IntegrationReads,
    readonly revisions: ScriptRevisions,
    readonly rotation: RotateSigningSecret,
    readonly fields: FieldCheck,
  ) {}
}
