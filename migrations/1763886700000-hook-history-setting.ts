import { MigrationInterface, QueryRunner } from 'typeorm';

/** An incoming integration may choose which of its calls are recorded (`hookHistory`); null follows HOOK_HISTORY. */
export class HookHistorySetting1763886700000 implements MigrationInterface {
  name = 'HookHistorySetting1763886700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN hook_history varchar(8)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations DROP COLUMN hook_history`);
  }
}
