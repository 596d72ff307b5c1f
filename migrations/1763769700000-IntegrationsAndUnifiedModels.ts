import { MigrationInterface, QueryRunner } from 'typeorm';

/** Columns every synced model shares (DESIGN.md: data model). */
const SYNCED_COLUMNS = `
  integration_id    text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  id                text NOT NULL,
  remote_id         text NOT NULL,
  data              jsonb NOT NULL,
  data_hash         text NOT NULL,
  remote_data       jsonb,
  changed_at        timestamptz NOT NULL,
  remote_deleted_at timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now()`;

const MODELS: { table: string; extra: string; indexes: string[] }[] = [
  {
    table: 'hris_employees',
    extra: `,
  employment_status text,
  employment_type   text,
  work_email        text,
  personal_email    text,
  legal_entity_id   text,
  work_location_id  text,
  manager_id        text,
  group_ids         text[] NOT NULL DEFAULT '{}'`,
    indexes: [
      `CREATE INDEX hris_employees_work_email_idx ON hris_employees (integration_id, lower(work_email))`,
      `CREATE INDEX hris_employees_personal_email_idx ON hris_employees (integration_id, lower(personal_email))`,
      `CREATE INDEX hris_employees_group_ids_idx ON hris_employees USING gin (group_ids)`,
    ],
  },
  {
    table: 'hris_employments',
    extra: `,\n  employee_id text NOT NULL`,
    indexes: [`CREATE INDEX hris_employments_employee_idx ON hris_employments (integration_id, employee_id)`],
  },
  { table: 'hris_groups', extra: `,\n  name text,\n  type text`, indexes: [] },
  { table: 'hris_legal_entities', extra: `,\n  name text`, indexes: [] },
  { table: 'hris_locations', extra: `,\n  name text`, indexes: [] },
  { table: 'hris_document_categories', extra: `,\n  name text`, indexes: [] },
];

export class IntegrationsAndUnifiedModels1763769700000 implements MigrationInterface {
  name = 'IntegrationsAndUnifiedModels1763769700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integrations (
        id                          text PRIMARY KEY,
        environment_id              text NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        tool                        text NOT NULL,
        category                    text NOT NULL DEFAULT 'HRIS',
        status                      text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INVALID', 'INACTIVE')),
        setup_status                text NOT NULL DEFAULT 'FINAL_SYNC_PENDING' CHECK (setup_status IN ('INCOMPLETE', 'FINAL_SYNC_PENDING', 'COMPLETED')),
        end_user_organization_name  text NOT NULL,
        end_user_email              text,
        end_user_origin_id          text,
        credentials                 text NOT NULL,
        base_url                    text,
        filters                     jsonb NOT NULL DEFAULT '{}',
        settings                    jsonb NOT NULL DEFAULT '{}',
        status_reason               text,
        first_sync_completed_at     timestamptz,
        data_expired_at             timestamptz,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        updated_at                  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX integrations_environment_idx ON integrations (environment_id, created_at)`);
    await q.query(`CREATE INDEX integrations_origin_idx ON integrations (environment_id, end_user_origin_id)`);
    for (const m of MODELS) {
      await q.query(`CREATE TABLE ${m.table} (${SYNCED_COLUMNS}${m.extra},\n  PRIMARY KEY (integration_id, id),\n  UNIQUE (integration_id, remote_id))`);
      // Keyset pagination and updated_after both walk (changed_at, id).
      await q.query(`CREATE INDEX ${m.table}_changed_idx ON ${m.table} (integration_id, changed_at, id)`);
      for (const ix of m.indexes) await q.query(ix);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const m of [...MODELS].reverse()) await q.query(`DROP TABLE ${m.table}`);
    await q.query(`DROP TABLE integrations`);
  }
}
