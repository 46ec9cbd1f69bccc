import { MigrationInterface, QueryRunner } from 'typeorm';

/** Integrations (incoming and outgoing webhooks) and the history of outgoing executions. */
export class Integrations1763885000000 implements MigrationInterface {
  name = 'Integrations1763885000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integrations (
        id varchar(32) PRIMARY KEY,
        type varchar(20) NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL,
        username text NOT NULL,
        user_id varchar(32) NOT NULL,
        channel text[] NOT NULL DEFAULT '{}',
        alias text,
        avatar text,
        emoji text,
        script_enabled boolean NOT NULL,
        script text,
        script_engine varchar(16),
        script_compiled text,
        script_error jsonb,
        override_destination_channel_enabled boolean,
        token text,
        event varchar(32),
        urls text[],
        trigger_words text[],
        trigger_word_anywhere boolean,
        target_room text,
        impersonate_user boolean,
        run_on_edits boolean,
        retry_failed_calls boolean,
        retry_count integer,
        retry_delay text,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by_id varchar(32) NOT NULL,
        created_by_username text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_id varchar(32),
        updated_by_username text
      )`);
    await q.query(`CREATE INDEX integrations_type_idx ON integrations (type)`);
    await q.query(`CREATE INDEX integrations_created_by_id_idx ON integrations (created_by_id)`);
    await q.query(`CREATE INDEX integrations_event_enabled_idx ON integrations (event, enabled)`);
    await q.query(`CREATE INDEX integrations_channel_gin ON integrations USING gin (channel)`);
    await q.query(`CREATE INDEX integrations_urls_gin ON integrations USING gin (urls)`);
    await q.query(`
      CREATE TABLE integration_history (
        id varchar(32) PRIMARY KEY,
        type varchar(20) NOT NULL DEFAULT 'outgoing-webhook',
        integration_id varchar(32) NOT NULL,
        integration_created_by_id varchar(32) NOT NULL,
        integration jsonb NOT NULL,
        step text NOT NULL,
        event varchar(32) NOT NULL,
        data jsonb,
        trigger_word text,
        ran_prepare_script boolean,
        prepare_sent_message jsonb,
        process_sent_message jsonb,
        result_message jsonb,
        finished boolean,
        url text,
        http_call_data jsonb,
        http_error jsonb,
        http_result text,
        error boolean,
        error_stack jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX integration_history_integration_updated_idx ON integration_history (integration_id, updated_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE integration_history`);
    await q.query(`DROP TABLE integrations`);
  }
}
