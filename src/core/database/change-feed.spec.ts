import { writtenTables } from './change-feed';

describe('writtenTables: the cached tables a statement writes', () => {
  it.each([
    ['UPDATE "integrations" SET "enabled" = $1 WHERE "id" = $2', ['integrations']],
    ['INSERT INTO "users"("id", "username") VALUES ($1, $2)', ['users']],
    ['DELETE FROM "login_tokens" WHERE "hashed_token" = $1', ['login_tokens']],
    ['INSERT INTO permissions (id, roles) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET roles = excluded.roles', ['permissions']],
    ['WITH joined AS (UPDATE rooms SET usernames = $1 RETURNING id) INSERT INTO subscriptions (room_id, user_id) SELECT id, $2 FROM joined', ['rooms', 'subscriptions']],
    ['update only roles set description = $1', ['roles']],
    // Read, not written: a join, a subquery, a row lock.
    ['WITH due AS (SELECT id FROM integration_deliveries FOR UPDATE SKIP LOCKED) SELECT * FROM due JOIN integrations i ON true', []],
    ['UPDATE integration_deliveries d SET state = $1 FROM integrations i WHERE i.id = d.integration_id', []],
    ['INSERT INTO messages (id, rid) SELECT $1, id FROM rooms WHERE id = $2', []],
    ['SELECT * FROM users FOR UPDATE', []],
  ])('%s', (sql, tables) => {
    expect(writtenTables(sql).sort()).toEqual([...tables].sort());
  });
});
