import { sourceFingerprint } from '../../connectors/fingerprint';
import type { UnifiedEmployee, UnifiedEmployment } from '../../connectors/unified';
import { bareEmployee } from '../../connectors/unified.spec-env';
import { stableId } from '../common/ids';
import {
  apiDateTime,
  canonical,
  changedFields,
  employeeGroupIds,
  employeeRow,
  employeeStatus,
  employmentEmployeeId,
  employmentRow,
  matchesFilters,
  sourceHashOf,
  sourceScope,
  storedEmployeeRow,
} from './rows';
import { PACKAGE_VERSION } from '../common/paths';
import { MODEL_TABLES } from './models';

const IID = 'acme:abc';

const employee = (extra: Partial<UnifiedEmployee> = {}): UnifiedEmployee =>
  bareEmployee('7', {
    employee_number: 'E-7',
    first_name: 'Ada',
    last_name: 'Muster',
    display_full_name: 'Ada Muster',
    work_email: 'ada@acme.example',
    employment_status: 'ACTIVE',
    employment_type: 'FULL_TIME',
    manager_remote_id: '8',
    legal_entity_remote_id: 'le-1',
    work_location_remote_id: 'loc-1',
    group_remote_ids: ['team:2', 'team:1', 'team:2'],
    custom_fields: { dynamic_1: 'M' },
    remote_fields: { first_name: 'Ada', dynamic_1: 'M' },
    remote_data: { raw: { first_name: 'Ada' } },
    ...extra,
  });

const employment = (extra: Partial<UnifiedEmployment> = {}): UnifiedEmployment => ({
  remote_id: 'employment:7',
  employee_remote_id: '7',
  job_title: 'Engineer',
  pay_rate: 5000,
  pay_period: 'MONTH',
  pay_frequency: 'MONTHLY',
  employment_type: 'FULL_TIME',
  pay_currency: 'EUR',
  effective_date: null,
  custom_fields: {},
  remote_fields: { salary: 5000 },
  remote_data: { raw: 1 },
  ...extra,
});

describe('employeeRow', () => {
  const r = employeeRow(IID, employee());

  it('derives gateway ids for the record and every reference', () => {
    expect(r.id).toBe(stableId(IID, 'employees', '7'));
    expect(r.data).toMatchObject({
      manager_id: stableId(IID, 'employees', '8'),
      legal_entity_id: stableId(IID, 'legal_entities', 'le-1'),
      work_location_id: stableId(IID, 'locations', 'loc-1'),
    });
    expect(employeeGroupIds(r)).toEqual([stableId(IID, 'groups', 'team:1'), stableId(IID, 'groups', 'team:2')].sort());
  });

  it('keeps remote ids, remote_data and remote_fields out of data; remote_fields travel as their own JSON', () => {
    for (const k of [
      'remote_id',
      'remote_data',
      'remote_fields',
      'manager_remote_id',
      'legal_entity_remote_id',
      'work_location_remote_id',
      'group_remote_ids',
    ]) {
      expect(r.data).not.toHaveProperty(k);
    }
    expect(r.remote_data).toEqual({ raw: { first_name: 'Ada' } });
    expect(JSON.parse(r.json.remote_fields!)).toEqual({ first_name: 'Ada', dynamic_1: 'M' });
  });

  it('names its columns after the table', () => {
    // Exactly the table's own columns, in the order the upsert writes them.
    expect(Object.keys(r.columns)).toEqual(MODEL_TABLES.employees.columns);
    expect(Object.keys(employmentRow(IID, employment()).columns)).toEqual(MODEL_TABLES.employments.columns);
    expect(employeeStatus(r)).toBe('ACTIVE');
    expect(r.columns.manager_id).toBe(r.data.manager_id);
  });

  it('hashes content: the same record hashes the same, a changed field or group differently, remote_fields not at all', () => {
    expect(employeeRow(IID, employee()).hash).toBe(r.hash);
    expect(employeeRow(IID, employee({ first_name: 'Eve' })).hash).not.toBe(r.hash);
    expect(employeeRow(IID, employee({ group_remote_ids: ['team:1'] })).hash).not.toBe(r.hash);
    expect(employeeRow(IID, employee({ remote_data: { raw: { first_name: 'Eve' } } })).hash).not.toBe(r.hash);
    expect(employeeRow(IID, employee({ remote_fields: { first_name: 'Eve' } })).hash).toBe(r.hash);
  });

  it('stores the source fingerprint with the gateway version and the filters, outside the content hash', () => {
    const withSource = employeeRow(IID, employee(), sourceHashOf('fp', sourceScope(null)));
    expect(withSource.columns.source_hash).toBe(`${PACKAGE_VERSION}::fp`);
    expect(sourceScope({ employment_statuses: [] })).toBe(`${PACKAGE_VERSION}:`);
    const filtered = sourceScope({ employment_statuses: ['ACTIVE'] });
    expect(filtered).not.toBe(`${PACKAGE_VERSION}:`);
    expect(sourceScope({ employment_statuses: ['INACTIVE'] })).not.toBe(filtered);
    expect(sourceHashOf(undefined, filtered)).toBeNull();
    expect(withSource.hash).toBe(r.hash);
    expect(employeeRow(IID, employee()).columns.source_hash).toBeNull();
  });

  it('a stored row re-derived with another status keeps everything else, remote_fields included', () => {
    const again = storedEmployeeRow(
      {
        id: r.id,
        remote_id: r.remote_id,
        data: r.data,
        remote_data: r.remote_data,
        remote_fields: { first_name: 'Ada', dynamic_1: 'M' },
        group_ids: employeeGroupIds(r),
        source_hash: '0.1.0:fingerprint',
      },
      'ACTIVE',
    );
    expect(again.hash).toBe(r.hash);
    expect(again.json).toEqual(r.json);
    expect(again.columns.source_hash).toBe('0.1.0:fingerprint');
    const left = storedEmployeeRow(
      { id: r.id, remote_id: r.remote_id, data: r.data, remote_data: r.remote_data, remote_fields: {}, group_ids: employeeGroupIds(r), source_hash: null },
      'INACTIVE',
    );
    expect(employeeStatus(left)).toBe('INACTIVE');
    expect(left.data.employment_status).toBe('INACTIVE');
    expect(left.hash).not.toBe(r.hash);
  });
});

describe('apiDateTime: dates are served as Kombo serves them, whatever the connector yields', () => {
  it('keeps the canonical form, turns a calendar date into midnight UTC, converts other forms, drops non-dates', () => {
    expect(apiDateTime('2020-01-01T00:00:00.000Z')).toBe('2020-01-01T00:00:00.000Z');
    expect(apiDateTime('2020-01-01')).toBe('2020-01-01T00:00:00.000Z');
    expect(apiDateTime('2020-01-01T10:00:00+02:00')).toBe('2020-01-01T08:00:00.000Z');
    expect(apiDateTime('0000-00-00')).toBeNull();
    expect(apiDateTime('not a date')).toBeNull();
    expect(apiDateTime(null)).toBeNull();
  });

  it('is applied to every date of an employee and an employment', () => {
    const e = employeeRow(
      IID,
      employee({ start_date: '2021-03-04', date_of_birth: '1990-05-06', termination_date: 'soon', remote_created_at: '2021-03-04T05:06:07Z' }),
    );
    expect(e.data).toMatchObject({
      start_date: '2021-03-04T00:00:00.000Z',
      date_of_birth: '1990-05-06T00:00:00.000Z',
      termination_date: null,
      remote_created_at: '2021-03-04T05:06:07.000Z',
    });
    expect(employmentRow(IID, employment({ effective_date: '2021-03-04' })).data.effective_date).toBe('2021-03-04T00:00:00.000Z');
  });
});

describe('employmentRow', () => {
  it('points at its employee by gateway id, derived or given', () => {
    const e = employmentRow(IID, employment());
    expect(employmentEmployeeId(e)).toBe(stableId(IID, 'employees', '7'));
    expect(e.data.employee_id).toBe(employmentEmployeeId(e));
    expect(employmentEmployeeId(employmentRow(IID, employment(), 'given-id'))).toBe('given-id');
    expect(e.data).not.toHaveProperty('remote_fields');
    expect(JSON.parse(e.json.remote_fields!)).toEqual({ salary: 5000 });
  });
});

describe('matchesFilters', () => {
  const e = employee();
  it('passes everything without filters or with empty ones', () => {
    expect(matchesFilters(e, null)).toBe(true);
    expect(matchesFilters(e, {})).toBe(true);
    expect(matchesFilters(e, { legal_entity_remote_ids: [], group_remote_ids: [] })).toBe(true);
  });
  it('ORs within a field and ANDs across fields', () => {
    expect(matchesFilters(e, { legal_entity_remote_ids: ['le-2', 'le-1'] })).toBe(true);
    expect(matchesFilters(e, { legal_entity_remote_ids: ['le-2'] })).toBe(false);
    expect(matchesFilters(e, { group_remote_ids: ['team:9', 'team:1'] })).toBe(true);
    expect(matchesFilters(e, { legal_entity_remote_ids: ['le-1'], employment_statuses: ['INACTIVE'] })).toBe(false);
    expect(matchesFilters(e, { location_remote_ids: ['loc-1'], employment_types: ['FULL_TIME'], employment_statuses: ['ACTIVE'] })).toBe(true);
  });
  it('a record without the filtered value does not match', () => {
    expect(matchesFilters(employee({ work_location_remote_id: null }), { location_remote_ids: ['loc-1'] })).toBe(false);
    expect(matchesFilters(employee({ employment_status: null }), { employment_statuses: ['ACTIVE'] })).toBe(false);
  });
});

describe('changedFields', () => {
  it('lists the changed keys sorted, compares nested values by content and counts remote_data last', () => {
    expect(changedFields({ a: 1, b: { x: 1, y: 2 } }, { a: 1, b: { y: 2, x: 1 } }, { r: 1 }, { r: 1 })).toEqual([]);
    expect(changedFields({ b: 1, a: 1, n: null }, { b: 2, a: 1, c: 3 }, { r: 1 }, { r: 2 })).toEqual(['b', 'c', 'remote_data']);
    expect(changedFields({ n: null }, {}, null, null)).toEqual([]);
    expect(changedFields({ a: 1 }, {}, null, null)).toEqual(['a']);
  });
  it('canonical JSON ignores key order, not array order', () => {
    expect(canonical({ b: 1, a: [2, 1] })).toBe('{"a":[2,1],"b":1}');
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
    expect(canonical(undefined)).toBe('null');
  });

  it('stores the text of a fingerprinted source, cleaned when Postgres could not store it', () => {
    const raw = { attributes: { first_name: 'Ada' } };
    sourceFingerprint('v', raw);
    expect(employeeRow(IID, employee({ remote_data: { '/company/employees': raw } })).json.remote_data).toBe(JSON.stringify({ '/company/employees': raw }));
    const dirty = { attributes: { first_name: 'A\u0000da' } };
    sourceFingerprint('v', dirty);
    const cleaned = employeeRow(IID, employee({ remote_data: { '/company/employees': dirty } }));
    expect(cleaned.json.remote_data).toBe('{"/company/employees":{"attributes":{"first_name":"Ada"}}}');
  });
});
