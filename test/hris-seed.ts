import { DataSource } from 'typeorm';
import { sha256Hex, stableId } from '../src/common/ids';

/**
 * Writes unified rows the way the sync engine stores them (the storage
 * contract), for read-API tests that need exact control over the data.
 */
export interface SeedEmployee {
  id: string;
  remote_id: string;
  data: Record<string, unknown>;
  employment_status: string | null;
  work_email: string | null;
  personal_email: string | null;
  legal_entity_id: string | null;
  work_location_id: string | null;
  manager_id: string | null;
  group_ids: string[];
  changed_at: Date;
  remote_deleted_at: Date | null;
  remote_data: Record<string, unknown>;
}

export interface Seeded {
  employees: SeedEmployee[];
  groups: Array<{ id: string; remote_id: string; name: string; type: string | null; remote_deleted_at: Date | null; changed_at: Date }>;
  legalEntities: Array<{ id: string; remote_id: string; name: string }>;
  locations: Array<{ id: string; remote_id: string; name: string }>;
  employments: Array<{ id: string; employee_id: string }>;
  categories: Array<{ id: string; remote_id: string; name: string }>;
}

const STATUSES = ['ACTIVE', 'PENDING', 'INACTIVE', 'LEAVE'];
const GROUP_TYPES = ['DEPARTMENT', 'TEAM', 'COST_CENTER', null];

/** A deterministic pseudo-random stream, so a failing property run is reproducible. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function seedUnified(
  ds: DataSource,
  integrationId: string,
  opts: { employees: number; seed?: number; base?: Date } = { employees: 50 },
): Promise<Seeded> {
  const r = rng(opts.seed ?? 42);
  const base = opts.base ?? new Date('2025-01-01T00:00:00.000Z');
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);
  const pickOne = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: Seeded = { employees: [], groups: [], legalEntities: [], locations: [], employments: [], categories: [] };

  const insert = async (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    await ds.query(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => row[c]),
    );
  };
  const common = (model: string, remoteId: string, data: Record<string, unknown>, changedAt: Date, deletedAt: Date | null = null) => ({
    integration_id: integrationId,
    id: stableId(integrationId, model, remoteId),
    remote_id: remoteId,
    data: JSON.stringify(data),
    data_hash: sha256Hex(JSON.stringify(data)),
    changed_at: changedAt,
    remote_deleted_at: deletedAt,
  });

  for (let i = 0; i < 3; i++) {
    const c = common(
      'legal_entities',
      `le-${i}`,
      { name: `Legal ${i} GmbH`, address: { city: 'Berlin', country: 'DE', raw: 'Berlin, DE', state: null, street_1: null, street_2: null, zip_code: null } },
      at(i),
    );
    await insert('hris_legal_entities', { ...c, name: `Legal ${i} GmbH` });
    out.legalEntities.push({ id: c.id, remote_id: c.remote_id, name: `Legal ${i} GmbH` });
    const l = common('locations', `loc-${i}`, { name: `Office ${i}`, address: null, type: null }, at(i));
    await insert('hris_locations', { ...l, name: `Office ${i}` });
    out.locations.push({ id: l.id, remote_id: l.remote_id, name: `Office ${i}` });
    const d = common('employee_document_categories', `cat-${i}`, { name: i === 0 ? 'Learning certificates' : `Category ${i}` }, at(i));
    await insert('hris_document_categories', { ...d, name: i === 0 ? 'Learning certificates' : `Category ${i}` });
    out.categories.push({ id: d.id, remote_id: d.remote_id, name: i === 0 ? 'Learning certificates' : `Category ${i}` });
  }
  for (let i = 0; i < 6; i++) {
    const type = GROUP_TYPES[i % GROUP_TYPES.length];
    const name = `${type ?? 'Untyped'} Group ${i}`;
    const deleted = i === 5 ? at(500) : null;
    const g = common('groups', `group:${i}`, { name, type, parent_id: null }, at(10 + i), deleted);
    await insert('hris_groups', { ...g, name, type });
    out.groups.push({ id: g.id, remote_id: g.remote_id, name, type, remote_deleted_at: deleted, changed_at: at(10 + i) });
  }
  for (let i = 0; i < opts.employees; i++) {
    const remoteId = String(1000 + i);
    const id = stableId(integrationId, 'employees', remoteId);
    const status = pickOne(STATUSES);
    const manager = i > 0 && r() < 0.7 ? out.employees[Math.floor(r() * out.employees.length)] : null;
    const le = r() < 0.9 ? pickOne(out.legalEntities) : null;
    const loc = r() < 0.9 ? pickOne(out.locations) : null;
    const groups = out.groups.filter(() => r() < 0.35).map((g) => g.id);
    const workEmail = r() < 0.9 ? `Person.${i}@Acme.example` : null;
    const personalEmail = r() < 0.5 ? `p${i}@mail.example` : null;
    const data = {
      employee_number: `E-${i}`,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      nationality: 'DE',
      display_full_name: `First${i} Last${i}`,
      job_title: pickOne(['Engineer', 'Trainer', null]),
      work_email: workEmail,
      personal_email: personalEmail,
      mobile_phone_number: null,
      ssn: null,
      tax_id: null,
      gender: pickOne(['MALE', 'FEMALE', 'diverse', null]),
      ethnicity: null,
      marital_status: null,
      employment_status: status,
      employment_type: pickOne(['FULL_TIME', 'PART_TIME', null]),
      weekly_hours: 40,
      avatar: null,
      home_address: null,
      bank_accounts: null,
      date_of_birth: '1990-01-01T00:00:00.000Z',
      start_date: '2020-01-01T00:00:00.000Z',
      termination_date: null,
      remote_created_at: null,
      manager_id: manager?.id ?? null,
      legal_entity_id: le?.id ?? null,
      work_location_id: loc?.id ?? null,
      custom_fields: { dynamic_1: pickOne(['S', 'M', 'L']), dynamic_2: i },
    };
    const remoteData = {
      '/company/employees': {
        type: 'Employee',
        attributes: { id: { label: 'ID', value: 1000 + i, type: 'integer' }, cost_code: { label: 'Cost code', value: `CC-${i % 3}`, type: 'standard' } },
      },
    };
    // The flat fields the connector derives from the same attributes (connectors/unified.ts remote_fields).
    const remoteFields = { id: 1000 + i, cost_code: `CC-${i % 3}` };
    const changedAt = at(100 + Math.floor(r() * 1000));
    const deletedAt = r() < 0.1 ? at(2000) : null;
    // The same columns in the stored row and in what the specs expect of it.
    const links = {
      work_email: workEmail,
      personal_email: personalEmail,
      legal_entity_id: le?.id ?? null,
      work_location_id: loc?.id ?? null,
      manager_id: manager?.id ?? null,
      group_ids: groups,
    };
    await insert('hris_employees', {
      ...common('employees', remoteId, data, changedAt, deletedAt),
      remote_data: JSON.stringify(remoteData),
      remote_fields: JSON.stringify(remoteFields),
      employment_status: status,
      employment_type: data.employment_type,
      ...links,
    });
    out.employees.push({
      id,
      remote_id: remoteId,
      data,
      employment_status: status,
      ...links,
      changed_at: changedAt,
      remote_deleted_at: deletedAt,
      remote_data: remoteData,
    });
    const em = common(
      'employments',
      `employment:${remoteId}`,
      {
        employee_id: id,
        job_title: data.job_title,
        pay_rate: 5000,
        pay_period: 'MONTH',
        pay_frequency: 'MONTHLY',
        employment_type: data.employment_type,
        pay_currency: 'EUR',
        effective_date: '2020-01-01T00:00:00.000Z',
        custom_fields: {},
      },
      changedAt,
    );
    await insert('hris_employments', { ...em, employee_id: id });
    out.employments.push({ id: em.id, employee_id: id });
  }
  return out;
}

export async function markFirstSyncDone(ds: DataSource, integrationId: string): Promise<void> {
  await ds.query(`UPDATE integrations SET first_sync_completed_at = now(), setup_status = 'COMPLETED' WHERE id = $1`, [integrationId]);
}
