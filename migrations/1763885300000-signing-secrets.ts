import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outgoing integrations sign their requests (Standard Webhooks) with a secret of their own. */
export class SigningSecrets1763885300000 implements MigrationInterface {
  name = 'SigningSecrets1763885300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN signing_secret text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations DROP COLUMN signing_secret`);
  }
}
