import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connect links and activation tokens. Only sha256 hashes of the tokens are stored:
 * a database dump cannot be turned into a working link or token exchange.
 */
export class ConnectLinks1795304910307 implements MigrationInterface {
  name = 'ConnectLinks1795304910307';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connect_links (
        id                          text PRIMARY KEY,
        environment_id              text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        token_hash                  text NOT NULL UNIQUE,
        link_type                   text NOT NULL CHECK (link_type IN ('EMBEDDED', 'MAGIC_LINK')),
        language                    text NOT NULL,
        tool                        text NOT NULL,
        category                    text NOT NULL DEFAULT 'HRIS',
        end_user_email              text,
        end_user_organization_name  text NOT NULL,
        end_user_origin_id          text,
        enable_filtering            boolean NOT NULL DEFAULT false,
        relink_integration_id       text REFERENCES integrations(id) ON DELETE CASCADE,
        expires_at                  timestamptz NOT NULL,
        used_at                     timestamptz,
        integration_id              text REFERENCES integrations(id) ON DELETE SET NULL,
        csrf_key                    text NOT NULL,
        pending_credentials         text,
        verified_at                 timestamptz,
        last_check                  jsonb,
        filter_options              jsonb,
        attempt_window_start        timestamptz,
        attempt_count               integer NOT NULL DEFAULT 0,
        failures                    jsonb NOT NULL DEFAULT '[]',
        created_at                  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX connect_links_environment_idx ON connect_links (environment_id, created_at)`);
    await q.query(`
      CREATE TABLE activation_tokens (
        token_hash      text PRIMARY KEY,
        environment_id  text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        integration_id  text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        link_id         text NOT NULL REFERENCES connect_links(id) ON DELETE CASCADE,
        expires_at      timestamptz NOT NULL,
        used_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE activation_tokens`);
    await q.query(`DROP TABLE connect_links`);
  }
}
