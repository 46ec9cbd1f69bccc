import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, login tokens, roles and permissions. */
export class Identity1763884800000 implements MigrationInterface {
  name = 'Identity1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id varchar(32) PRIMARY KEY,
        username text NOT NULL,
        name text NOT NULL DEFAULT '',
        email text,
        email_verified boolean NOT NULL DEFAULT false,
        password_hash text,
        roles text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        type varchar(8) NOT NULL DEFAULT 'user',
        require_password_change boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`);
    await q.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`
      CREATE TABLE login_tokens (
        token_hash char(64) PRIMARY KEY,
        user_id varchar(32) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_tokens_user_id_idx ON login_tokens (user_id)`);
    await q.query(`
      CREATE TABLE roles (
        id varchar(64) PRIMARY KEY,
        description text NOT NULL DEFAULT '',
        scope varchar(16) NOT NULL DEFAULT 'Users',
        protected boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE permissions (
        id varchar(128) PRIMARY KEY,
        roles text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX permissions_roles_gin ON permissions USING gin (roles)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE permissions`);
    await q.query(`DROP TABLE roles`);
    await q.query(`DROP TABLE login_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
