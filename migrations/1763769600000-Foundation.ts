import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763769600000 implements MigrationInterface {
  name = 'Foundation1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE environments (
        id          text PRIMARY KEY,
        name        text NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id              text PRIMARY KEY,
        environment_id  text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        name            text NOT NULL,
        prefix          text NOT NULL,
        key_hash        text NOT NULL UNIQUE,
        created_at      timestamptz NOT NULL DEFAULT now(),
        last_used_at    timestamptz,
        revoked_at      timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_environment_idx ON api_keys (environment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE environments`);
  }
}
