import { mapPersonioEmployee, mapPersonioRecord, employmentStatusOf, employmentTypeOf, groupRemoteId, type MappingContext } from './mapping';
import { remoteFieldLabels, remoteFields } from './attributes';
import type { PersonioEmployee } from './types';

const page = require('./fixtures/employees-page.json') as { data: PersonioEmployee[] };
const pinned = require('./fixtures/employees-page.mapped.json');
const ctx: MappingContext = { now: new Date('2025-06-15T10:00:00Z') };

/** Builds a raw employee from plain values, as Personio nests them ({label, value, type}). */
function emp(values: Record<string, unknown>, types: Record<string, string> = {}): PersonioEmployee {
  const attributes: PersonioEmployee['attributes'] = { id: { value: 1, type: 'integer', universal_id: 'id' } };
  for (const [k, v] of Object.entries(values))
    attributes[k] = { label: k, value: v, type: types[k] ?? 'standard', universal_id: k.startsWith('dynamic_') ? null : k };
  return { type: 'Employee', attributes };
}
const nested = (type: string, id: number | undefined, name: string) => ({ type, attributes: id === undefined ? { name } : { id, name } });

describe('mapPersonioRecord on the recorded page', () => {
  it('produces the pinned output', () => {
    const mapped = page.data.map((r) => mapPersonioRecord(r, ctx));
    for (const m of mapped) expect(m.employee.remote_data).toEqual({ '/company/employees': page.data[mapped.indexOf(m)] });
    for (const m of mapped) {
      const attributes = page.data[mapped.indexOf(m)].attributes ?? {};
      expect(Object.keys(m.employee.remote_fields)).toEqual(Object.keys(attributes));
      for (const [k, a] of Object.entries(attributes)) expect(m.employee.remote_fields[k]).toEqual((a as { value: unknown }).value);
    }
    const withoutRaw = mapped.map((m) => ({ ...m, employee: { ...m.employee, remote_data: undefined, remote_fields: undefined } }));
    expect(JSON.parse(JSON.stringify(withoutRaw))).toEqual(pinned);
  });
});

describe('mapPersonioEmployee rules', () => {
  const map = (values: Record<string, unknown>, types?: Record<string, string>, c: MappingContext = ctx) => mapPersonioEmployee(emp(values, types), c);

  it('ids: employee id is a string; missing id is refused', () => {
    expect(map({}).remote_id).toBe('1');
    expect(() => mapPersonioEmployee({ attributes: {} }, ctx)).toThrow(/without an id/);
  });

  it('names: preferred_name wins, else "first last", else whatever exists, else null', () => {
    expect(map({ first_name: 'A', last_name: 'B', preferred_name: 'Bee' }).display_full_name).toBe('Bee');
    expect(map({ first_name: 'A', last_name: 'B', preferred_name: '' }).display_full_name).toBe('A B');
    expect(map({ first_name: '', last_name: 'B' })).toMatchObject({ first_name: null, display_full_name: 'B' });
    expect(map({}).display_full_name).toBeNull();
  });

  it('email → work_email, invalid → null; position → job_title (trimmed)', () => {
    expect(map({ email: 'x@y.de', position: ' Dev ' })).toMatchObject({ work_email: 'x@y.de', job_title: 'Dev' });
    expect(map({ email: 'x.y.de', position: '' })).toMatchObject({ work_email: null, job_title: null });
  });

  it('work and personal e-mails: trimmed, domain lower-cased, local part kept', () => {
    const e = map({ email: ' Anna.Schmidt@NORDLICHT.Example ', private_email: 'Anna@Web.DE\t' });
    expect(e).toMatchObject({ work_email: 'Anna.Schmidt@nordlicht.example', personal_email: 'Anna@web.de' });
  });

  it.each([
    ['male', 'MALE'],
    ['female', 'FEMALE'],
    ['diverse', 'NON_BINARY'],
    ['Female', 'FEMALE'],
    ['Keine Angabe', 'Keine Angabe'],
    ['', null],
    [null, null],
  ])('gender %p → %p', (g, expected) => {
    expect(map({ gender: g }).gender).toBe(expected);
  });

  it.each([
    ['onboarding', 'PENDING'],
    ['active', 'ACTIVE'],
    ['leave', 'LEAVE'],
    ['inactive', 'INACTIVE'],
    ['paused', 'paused'],
    ['', null],
  ])('status %p → %p (no dates)', (s, expected) => {
    expect(map({ status: s }).employment_status).toBe(expected);
  });

  describe('status from contract dates (our rule)', () => {
    it('after the termination date → INACTIVE whatever the status says; on the day itself still as Personio says', () => {
      expect(map({ status: 'active', termination_date: '2025-06-14T00:00:00+02:00' }).employment_status).toBe('INACTIVE');
      expect(map({ status: 'leave', termination_date: '2025-06-14T00:00:00+02:00' }).employment_status).toBe('INACTIVE');
      expect(map({ status: 'active', termination_date: '2025-06-15T00:00:00+02:00' }).employment_status).toBe('ACTIVE');
      expect(map({ status: 'active', termination_date: '2025-07-31T00:00:00+02:00' }).employment_status).toBe('ACTIVE');
    });
    it('a fixed-term contract that ran out counts as terminated', () => {
      const e = map({ status: 'active', contract_end_date: '2025-05-31T00:00:00+02:00', termination_date: null });
      expect(e).toMatchObject({ employment_status: 'INACTIVE', termination_date: '2025-05-31T00:00:00.000Z' });
    });
    it('termination_date wins over contract_end_date; last_working_day does not decide', () => {
      const e = map({ status: 'active', contract_end_date: '2025-01-31', termination_date: '2025-12-31', last_working_day: '2025-06-01' });
      expect(e).toMatchObject({ employment_status: 'ACTIVE', termination_date: '2025-12-31T00:00:00.000Z' });
    });
    it('before the hire date → PENDING even if Personio says active; a withdrawn hire (inactive) stays INACTIVE', () => {
      expect(map({ status: 'active', hire_date: '2025-07-01T00:00:00+02:00' }).employment_status).toBe('PENDING');
      expect(map({ status: 'onboarding', hire_date: '2025-06-16T00:00:00+02:00' }).employment_status).toBe('PENDING');
      expect(map({ status: 'active', hire_date: '2025-06-15T00:00:00+02:00' }).employment_status).toBe('ACTIVE');
      expect(map({ status: 'inactive', hire_date: '2025-07-01' }).employment_status).toBe('INACTIVE');
    });
    it('from the hire date on, onboarding counts as ACTIVE (Personio moves such people to active by itself)', () => {
      expect(map({ status: 'onboarding', hire_date: '2025-06-15T00:00:00+02:00' }).employment_status).toBe('ACTIVE');
      expect(map({ status: 'onboarding' }).employment_status).toBe('PENDING');
    });
    it('"today" is the account-local day: 23:30 UTC is already the next day at +01:00', () => {
      const late: MappingContext = { now: new Date('2025-06-30T23:30:00Z'), utcOffset: '+01:00' };
      expect(map({ status: 'active', hire_date: '2025-07-01' }, {}, late).employment_status).toBe('ACTIVE');
      expect(map({ status: 'active', hire_date: '2025-07-01' }, {}, { now: late.now, utcOffset: 0 }).employment_status).toBe('PENDING');
    });
    it('the account offset is read from the employee dates when not given', () => {
      const late: MappingContext = { now: new Date('2025-06-30T23:30:00Z') };
      expect(map({ status: 'active', hire_date: '2025-07-01T00:00:00+02:00' }, {}, late).employment_status).toBe('ACTIVE');
    });
  });

  it.each([
    ['40', 40],
    ['38.5', 38.5],
    ['40,5', 40.5],
    ['', null],
    [null, null],
    [undefined, null],
    ['n/a', null],
  ])('weekly_working_hours %p → weekly_hours %p', (h, expected) => {
    expect(map(h === undefined ? {} : { weekly_working_hours: h }).weekly_hours).toBe(expected);
  });

  it('weekly_hours falls back to the work schedule', () => {
    const schedule = {
      type: 'WorkSchedule',
      attributes: { name: 'x', monday: '08:00', tuesday: '08:00', wednesday: '04:30', thursday: '00:00', friday: '', saturday: null },
    };
    expect(map({ weekly_working_hours: '', work_schedule: schedule }).weekly_hours).toBe(20.5);
  });

  it('employment_type: external → CONTRACT; internal from schedule name, else hours (≥35 full time)', () => {
    expect(employmentTypeOf('external', null, 40)).toBe('CONTRACT');
    expect(employmentTypeOf('internal', { attributes: { name: 'Teilzeit 30h' } }, 40)).toBe('PART_TIME');
    expect(employmentTypeOf('internal', { attributes: { name: 'Vollzeit' } }, null)).toBe('FULL_TIME');
    expect(employmentTypeOf('internal', null, 35)).toBe('FULL_TIME');
    expect(employmentTypeOf('internal', null, 34.5)).toBe('PART_TIME');
    expect(employmentTypeOf(undefined, null, 40)).toBe('FULL_TIME');
    expect(employmentTypeOf('internal', null, null)).toBeNull();
    expect(employmentTypeOf('', null, 0)).toBeNull();
  });

  it('dates: hire_date → start_date, date of birth by universal_id, never shifted a day', () => {
    const e = map(
      { hire_date: '2014-11-09T00:00:00+01:00', dynamic_77: '1986-01-01T00:00:00+01:00', created_at: '2017-05-23T09:49:03+02:00' },
      { dynamic_77: 'date' },
    );
    expect(e).toMatchObject({ start_date: '2014-11-09T00:00:00.000Z', remote_created_at: '2017-05-23T07:49:03.000Z' });
    const withDob = mapPersonioEmployee(
      { attributes: { id: { value: 1 }, dynamic_77: { value: '1986-01-01T00:00:00+01:00', type: 'date', universal_id: 'date_of_birth' } } },
      ctx,
    );
    expect(withDob.date_of_birth).toBe('1986-01-01T00:00:00.000Z');
  });

  it('relations stay remote ids: supervisor, subcompany, office, groups type-qualified', () => {
    const e = map({
      supervisor: { type: 'Employee', attributes: { id: { label: 'ID', value: 2, type: 'integer' } } },
      subcompany: nested('Subcompany', 7033, 'CS Demo GmbH'),
      office: nested('Office', 131014, 'Munich'),
      department: nested('Department', 5, 'Support'),
      team: nested('Team', 5, 'T_X'),
      cost_centers: [nested('CostCenter', 5, 'CC 1')],
    });
    expect(e).toMatchObject({ manager_remote_id: '2', legal_entity_remote_id: '7033', work_location_remote_id: '131014' });
    expect(e.group_remote_ids).toEqual([groupRemoteId('DEPARTMENT', '5'), 'team:5', 'cost_center:5']);
    expect(map({ supervisor: { type: 'Employee', attributes: { id: 3 } } }).manager_remote_id).toBe('3');
  });

  it('group ids: each group once, in the order department, team, cost centers; the groups themselves as listed', () => {
    const r = mapPersonioRecord(
      emp({
        department: nested('Department', 5, 'Support'),
        team: nested('Team', 5, 'T'),
        cost_centers: [nested('CostCenter', 2, 'CC 2'), nested('CostCenter', 1, 'CC 1'), nested('CostCenter', 2, 'CC 2'), { attributes: { name: 'no id' } }],
      }),
      ctx,
    );
    expect(r.employee.group_remote_ids).toEqual(['department:5', 'team:5', 'cost_center:2', 'cost_center:1']);
    expect(r.groups.map((g) => g.remote_id)).toEqual(['department:5', 'team:5', 'cost_center:2', 'cost_center:1', 'cost_center:2']);
  });

  it('unset relations ("" / null / [] / not whitelisted) → null or empty', () => {
    const e = map({ supervisor: '', subcompany: null, office: '', department: null, team: '', cost_centers: [] });
    expect(e).toMatchObject({ manager_remote_id: null, legal_entity_remote_id: null, work_location_remote_id: null, group_remote_ids: [] });
    expect(map({})).toMatchObject({ manager_remote_id: null, group_remote_ids: [], avatar: null, gender: null, employment_status: null });
  });

  it('custom dynamic_* attributes are normalised by type', () => {
    const e = map(
      {
        dynamic_1: '2021-01-01',
        dynamic_2: '42',
        dynamic_3: '1,5',
        dynamic_4: 'a, b',
        dynamic_5: '["c","d"]',
        dynamic_6: 'single',
        dynamic_7: 'https://x',
        dynamic_8: 'l1\nl2',
        dynamic_9: '',
        dynamic_10: 'Dr',
        first_name: 'X',
      },
      {
        dynamic_1: 'date',
        dynamic_2: 'integer',
        dynamic_3: 'decimal',
        dynamic_4: 'tags',
        dynamic_5: 'tags',
        dynamic_6: 'list',
        dynamic_7: 'link',
        dynamic_8: 'multiline',
        dynamic_9: 'standard',
      },
    );
    expect(e.custom_fields).toEqual({
      dynamic_1: '2021-01-01T00:00:00.000Z',
      dynamic_2: 42,
      dynamic_3: 1.5,
      dynamic_4: ['a', 'b'],
      dynamic_5: ['c', 'd'],
      dynamic_6: 'single',
      dynamic_7: 'https://x',
      dynamic_8: 'l1\nl2',
      dynamic_9: null,
      dynamic_10: 'Dr',
    });
  });

  it('universal ids: a non-empty attribute keyed by the id first, else the first non-empty attribute carrying it', () => {
    const a = (value: unknown, universal_id: string | null) => ({ value, type: 'standard', universal_id });
    const nationality = (attributes: PersonioEmployee['attributes']) =>
      mapPersonioEmployee({ attributes: { id: { value: 1 }, ...attributes } }, ctx).nationality;
    expect(nationality({ dynamic_1: a('FR', 'nationality'), nationality: a('DE', 'nationality') })).toBe('DE');
    expect(nationality({ dynamic_1: a('FR', 'nationality'), nationality: a(' ', 'nationality') })).toBe('FR');
    expect(nationality({ dynamic_1: a('', 'nationality'), dynamic_2: a('IT', 'nationality'), dynamic_3: a('ES', 'nationality') })).toBe('IT');
    expect(nationality({ nationality: a('', 'nationality'), dynamic_1: a('PT', 'other') })).toBeNull();
    // An attribute keyed by one asked id but carrying another still answers for its key only.
    const phone = (attributes: PersonioEmployee['attributes']) =>
      mapPersonioEmployee({ attributes: { id: { value: 1 }, ...attributes } }, ctx).mobile_phone_number;
    expect(phone({ phone: a('', 'phone'), dynamic_5: a('+49 1', 'mobile_phone_number') })).toBe('+49 1');
    expect(phone({ mobile_phone: a('+49 2', 'tax_id'), dynamic_5: a('+49 3', 'phone') })).toBe('+49 2');
    expect(mapPersonioEmployee({ attributes: { id: { value: 1 }, mobile_phone: a('+49 2', 'tax_id') } }, ctx).tax_id).toBe('+49 2');
  });

  it('remote_fields has every attribute, in the payload order, whichever employees were mapped before', () => {
    const employees: PersonioEmployee[] = [
      emp({ first_name: 'A', dynamic_3: 'x', last_name: 'B' }),
      emp({ last_name: 'C', first_name: 'D', '7': 'seven', dynamic_3: null }),
      emp({ first_name: 'E', dynamic_3: 'y', last_name: 'F' }),
      // Loose payloads: entries that are not attribute objects, or attribute objects without a value.
      {
        attributes: {
          id: { value: 2 },
          bare: 'not an attribute object',
          none: null,
          labelled: { label: 'no value' },
        } as unknown as PersonioEmployee['attributes'],
      },
    ];
    for (const raw of [...employees, ...employees]) {
      const fields = mapPersonioEmployee(raw, ctx).remote_fields;
      expect(Object.keys(fields)).toEqual(Object.keys(raw.attributes));
      for (const [k, attribute] of Object.entries(raw.attributes))
        expect([k, fields[k]]).toEqual([k, attribute && typeof attribute === 'object' && 'value' in attribute ? attribute.value : attribute]);
    }
  });

  it('an attribute keyed "__proto__" (the key is the customer\'s) is an own field of remote_fields, and no prototype changes', () => {
    const raw = JSON.parse('{"attributes":{"id":{"value":3},"__proto__":{"label":"Proto","value":{"polluted":1}},"a":{"value":2}}}') as PersonioEmployee;
    // Twice: the second employee with the same keys is built from the remembered key list.
    for (const fields of [mapPersonioEmployee(raw, ctx).remote_fields, mapPersonioRecord(raw, ctx).employee.remote_fields]) {
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(fields, '__proto__')).toBe(true);
      expect(Object.keys(fields)).toEqual(['id', '__proto__', 'a']);
      expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual({ polluted: 1 });
      expect((fields as { polluted?: unknown }).polluted).toBeUndefined();
      expect(JSON.stringify(fields)).toBe('{"id":3,"__proto__":{"polluted":1},"a":2}');
    }
    expect(Object.getPrototypeOf(remoteFields(raw))).toBe(Object.prototype);
    expect(JSON.stringify(remoteFields(raw))).toBe('{"id":3,"__proto__":{"polluted":1},"a":2}');
    // Its label, for the integration field list, likewise.
    const labels = remoteFieldLabels({ '/company/employees': raw });
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(JSON.stringify(labels)).toBe('{"__proto__":"Proto"}');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('avatar from profile_picture; remote_data is the raw employee under its API path', () => {
    const raw = emp({ profile_picture: 'https://api.personio.de/v1/company/employees/1/profile-picture' });
    const e = mapPersonioEmployee(raw, ctx);
    expect(e.avatar).toBe('https://api.personio.de/v1/company/employees/1/profile-picture');
    expect(e.remote_data).toEqual({ '/company/employees': raw });
  });

  it('employmentStatusOf is total', () => {
    expect(employmentStatusOf(undefined, null, null, '2025-01-01T00:00:00.000Z')).toBeNull();
  });
});

describe('derived records', () => {
  it('employment: one per employee, id derived from the employee, effective on the hire date, pay only when known', () => {
    const r = mapPersonioRecord(
      emp({ position: 'Dev', hire_date: '2020-01-01', fix_salary: 4000, fix_salary_interval: 'yearly', last_modified_at: '2025-01-01T00:00:00+01:00' }),
      ctx,
    );
    expect(r.employment).toMatchObject({
      remote_id: 'employment:1',
      employee_remote_id: '1',
      job_title: 'Dev',
      effective_date: '2020-01-01T00:00:00.000Z',
      pay_rate: 4000,
      pay_period: 'YEAR',
      pay_frequency: 'ANNUALLY',
    });
    // The employment's remote_data holds only its inputs, so unrelated edits do not change it.
    expect(Object.keys((r.employment.remote_data['/company/employees'] as { attributes: object }).attributes)).not.toContain('last_modified_at');
    expect(mapPersonioRecord(emp({}), ctx).employment).toMatchObject({ pay_rate: null, pay_period: null, pay_currency: null });
  });

  it("derived records hold only their own facts: a cost center without the employee's percentage", () => {
    const cc = (percentage: number) => ({ type: 'CostCenter', attributes: { id: 81, name: 'CC Overhead', percentage } });
    const a = mapPersonioRecord(emp({ cost_centers: [cc(60)], office: { type: 'Office', attributes: { id: 4, name: 'Berlin', extra: 1 } } }), ctx);
    const b = mapPersonioRecord(emp({ cost_centers: [cc(100)], office: nested('Office', 4, 'Berlin') }), ctx);
    expect(a.groups).toEqual(b.groups);
    expect(a.location).toEqual(b.location);
    expect(a.groups[0].remote_data).toEqual({ '/company/employees': nested('CostCenter', 81, 'CC Overhead') });
  });

  it('groups, legal entity and location carry names, types and the nested raw object', () => {
    const r = mapPersonioRecord(
      emp({ department: nested('Department', 9, 'Sales'), subcompany: nested('Subcompany', 3, 'ACME'), office: nested('Office', undefined, 'Berlin') }),
      ctx,
    );
    expect(r.groups).toEqual([
      {
        remote_id: 'department:9',
        name: 'Sales',
        type: 'DEPARTMENT',
        parent_remote_id: null,
        remote_data: { '/company/employees': nested('Department', 9, 'Sales') },
      },
    ]);
    expect(r.legal_entity).toMatchObject({ remote_id: '3', name: 'ACME', address: null });
    expect(r.location).toMatchObject({ remote_id: 'name:Berlin', name: 'Berlin', type: null });
    expect(r.employee.work_location_remote_id).toBe('name:Berlin');
  });
});
