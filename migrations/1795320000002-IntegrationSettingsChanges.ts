import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed an integration's filters and sync settings, when, from what to what
 * (API key, dashboard operator, the customer on a relink, the CLI). Rows go with
 * their integration.
 */
export class IntegrationSettingsChanges1795320000002 implements MigrationInterface {
  name = 'IntegrationSettingsChanges1795320000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_settings_changes (
        id              text PRIMARY KEY,
        integration_id  text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
        actor_type      text NOT NULL CHECK (actor_type IN ('API_KEY', 'DASHBOARD', 'CONNECT_PAGE', 'CLI')),
        actor_id        text,
        changed_at      timestamptz NOT NULL DEFAULT now(),
        old_values      jsonb NOT NULL,
        new_values      jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX integration_settings_changes_history_idx ON integration_settings_changes (integration_id, changed_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE integration_settings_changes`);
  }
}
