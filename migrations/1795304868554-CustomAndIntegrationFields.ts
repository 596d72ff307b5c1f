import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custom fields (the environment's own keys, Kombo's "custom fields") and
 * integration fields (an integration's remote attributes), with the mapping
 * between them per integration and the passthrough switch per remote attribute.
 */
export class CustomAndIntegrationFields1795304868554 implements MigrationInterface {
  name = 'CustomAndIntegrationFields1795304868554';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE custom_fields (
        id              text PRIMARY KEY,
        environment_id  text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        model           text NOT NULL CHECK (model IN ('hris_employees', 'hris_employments')),
        key             text NOT NULL,
        label           text,
        description     text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (environment_id, model, key)
      )`);
    await q.query(`
      CREATE TABLE integration_fields (
        integration_id          text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        id                      text NOT NULL,
        model                   text NOT NULL,
        key                     text NOT NULL,
        type                    text NOT NULL CHECK (type IN ('DEFAULT', 'CUSTOM')),
        label                   text,
        is_passthrough_enabled  boolean NOT NULL DEFAULT false,
        refreshed_at            timestamptz NOT NULL DEFAULT now(),
        created_at              timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (integration_id, id),
        UNIQUE (integration_id, model, type, key)
      )`);
    await q.query(`
      CREATE TABLE custom_field_mappings (
        integration_id        text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        custom_field_id       text NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
        integration_field_id  text NOT NULL,
        updated_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (integration_id, custom_field_id),
        FOREIGN KEY (integration_id, integration_field_id) REFERENCES integration_fields(integration_id, id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE custom_field_mappings`);
    await q.query(`DROP TABLE integration_fields`);
    await q.query(`DROP TABLE custom_fields`);
  }
}
