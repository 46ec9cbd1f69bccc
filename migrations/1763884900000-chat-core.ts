import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rooms, memberships, teams, messages, uploads, and the outbox of domain events. */
export class ChatCore1763884900000 implements MigrationInterface {
  name = 'ChatCore1763884900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teams (
        id varchar(32) PRIMARY KEY,
        name text NOT NULL,
        type smallint NOT NULL,
        room_id varchar(32) NOT NULL,
        created_by_id varchar(32) NOT NULL,
        created_by_username text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX teams_name_lower_key ON teams (lower(name))`);
    await q.query(`
      CREATE TABLE rooms (
        id varchar(64) PRIMARY KEY,
        type char(1) NOT NULL,
        name text,
        fname text,
        owner_id varchar(32),
        owner_username text,
        read_only boolean NOT NULL DEFAULT false,
        archived boolean NOT NULL DEFAULT false,
        is_default boolean NOT NULL DEFAULT false,
        team_id varchar(32) REFERENCES teams (id) ON DELETE SET NULL,
        team_main boolean NOT NULL DEFAULT false,
        uids text[],
        usernames text[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX rooms_name_lower_key ON rooms (lower(name)) WHERE type IN ('c', 'p')`);
    await q.query(`CREATE INDEX rooms_team_id_idx ON rooms (team_id)`);
    await q.query(`
      CREATE TABLE subscriptions (
        room_id varchar(64) NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        user_id varchar(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        roles text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (room_id, user_id)
      )`);
    await q.query(`CREATE INDEX subscriptions_user_id_idx ON subscriptions (user_id)`);
    await q.query(`
      CREATE TABLE messages (
        id varchar(32) PRIMARY KEY,
        room_id varchar(64) NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        msg text NOT NULL DEFAULT '',
        ts timestamptz NOT NULL DEFAULT now(),
        user_id varchar(32) NOT NULL,
        username text NOT NULL,
        user_name text NOT NULL DEFAULT '',
        alias text,
        emoji text,
        avatar text,
        attachments jsonb,
        bot jsonb,
        tmid varchar(32),
        edited_at timestamptz,
        edited_by jsonb,
        file jsonb,
        groupable boolean,
        parse_urls boolean,
        custom_fields jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_room_id_ts_idx ON messages (room_id, ts DESC)`);
    await q.query(`
      CREATE TABLE uploads (
        id varchar(32) PRIMARY KEY,
        room_id varchar(64) NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        user_id varchar(32) NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        size integer NOT NULL,
        path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        event varchar(32) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_events', 'uploads', 'messages', 'subscriptions', 'rooms', 'teams']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
