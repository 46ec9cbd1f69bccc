import { MigrationInterface, QueryRunner } from 'typeorm';
import { compileScript } from '../src/integrations/scripts/script-compiler';

/**
 * Scripts are transpiled as Rocket.Chat transpiles them (`skipTranspile` opts out). Scripts saved
 * before stored their source as `scriptCompiled`; they are compiled again here, so that they run
 * as they would on Rocket.Chat without anyone having to save them again.
 */
export class TranspiledScripts1763885500000 implements MigrationInterface {
  name = 'TranspiledScripts1763885500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE integrations ADD COLUMN skip_transpile boolean`);
    const rows = (await q.query(
      `SELECT id, script FROM integrations WHERE script_enabled AND script_compiled IS NOT NULL AND script_compiled = script`,
    )) as { id: string; script: string }[];
    for (const row of rows) {
      const compiled = compileScript(row.script);
      await q.query(`UPDATE integrations SET script_compiled = $2, script_error = $3 WHERE id = $1`, [
        row.id,
        compiled.scriptCompiled,
        compiled.scriptError ? JSON.stringify(compiled.scriptError) : null,
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE integrations SET script_compiled = script WHERE script_compiled IS NOT NULL`);
    await q.query(`ALTER TABLE integrations DROP COLUMN skip_transpile`);
  }
}
