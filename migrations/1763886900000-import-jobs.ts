import { MigrationInterface, QueryRunner } from 'typeorm';

/** Imports started from the admin UI: the plan, then the run's progress and outcome, readable by any server process. */
export class ImportJobs1763886900000 implements MigrationInterface {
  name = 'ImportJobs1763886900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE import_jobs (
      id varchar(32) PRIMARY KEY,
      created_by_id varchar(32) NOT NULL,
      source text NOT NULL,
      state varchar(10) NOT NULL,
      documents jsonb,
      total int NOT NULL,
      done int NOT NULL DEFAULT 0,
      plan jsonb NOT NULL,
      result jsonb,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE import_jobs`);
  }
}
