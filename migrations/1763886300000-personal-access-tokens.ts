import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal access tokens are login tokens with a name (as in Rocket.Chat, where both live in the
 * user's loginTokens): the same lookup authenticates both; only sessions (`resume`) expire.
 */
export class PersonalAccessTokens1763886300000 implements MigrationInterface {
  name = 'PersonalAccessTokens1763886300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE login_tokens
        ADD COLUMN type varchar(24) NOT NULL DEFAULT 'resume',
        ADD COLUMN name text,
        ADD COLUMN last_token_part varchar(6),
        ADD COLUMN bypass_two_factor boolean`);
    await q.query(`CREATE UNIQUE INDEX login_tokens_user_name_key ON login_tokens (user_id, name) WHERE name IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM login_tokens WHERE type <> 'resume'`);
    await q.query(`DROP INDEX login_tokens_user_name_key`);
    await q.query(`ALTER TABLE login_tokens DROP COLUMN type, DROP COLUMN name, DROP COLUMN last_token_part, DROP COLUMN bypass_two_factor`);
  }
}
