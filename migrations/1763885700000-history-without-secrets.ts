import { MigrationInterface, QueryRunner } from 'typeorm';

/** History records kept a copy of the integration's signing secret in their snapshot: removed. */
export class HistoryWithoutSecrets1763885700000 implements MigrationInterface {
  name = 'HistoryWithoutSecrets1763885700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE integration_history SET integration = integration - 'signingSecret' WHERE integration ? 'signingSecret'`);
  }

  async down(): Promise<void> {
    // The secrets are gone for good; nothing to put back.
  }
}
