import { Injectable } from '@nestjs/common';
import { Integration } from '../entities/integration.entity';
import { toApiIntegration } from '../integration.mapper';
import { IntegrationStore } from '../integration-store';

/** Fields only Hookline has: Rocket.Chat's collection holds none of them (secrets and the signing secret never leave anyway). */
const HOOKLINE_ONLY = ['hookHistory', 'deliveryRateLimit', 'secrets', 'headers', 'signingSecret', 'skipTranspile', 'stats'];

/**
 * Every integration as Rocket.Chat stores it in `rocketchat_integrations`, as `mongoexport
 * --jsonArray` writes it (dates as `{"$date": …}`): ids, tokens and scripts kept, so a user can go
 * back to Rocket.Chat (`mongoimport`) or move to another Hookline (`import:rocketchat --file`).
 */
@Injectable()
export class IntegrationExport {
  constructor(private readonly store: IntegrationStore) {}

  async all(): Promise<Record<string, unknown>[]> {
    const integrations = await this.store.all();
    return integrations.map(storedShape);
  }
}

export function storedShape(integration: Integration): Record<string, unknown> {
  const document = toApiIntegration(integration);
  for (const field of HOOKLINE_ONLY) delete document[field];
  for (const field of ['_createdAt', '_updatedAt']) {
    if (typeof document[field] === 'string') document[field] = { $date: document[field] };
  }
  return document;
}
