import { MigrationInterface, QueryRunner } from 'typeorm';

/** A rotated signing secret keeps signing beside the new one until it expires (integrations.rotateSigningSecret). */
export class SigningSecretRotation1763886100000 implements MigrationInterface {
  name = 'SigningSecretRotation1763886100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN previous_signing_secret text, ADD COLUMN previous_signing_secret_expires_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations DROP COLUMN previous_signing_secret, DROP COLUMN previous_signing_secret_expires_at`);
  }
}
