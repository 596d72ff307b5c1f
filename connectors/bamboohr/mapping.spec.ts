// Every BambooHR record mapping rule (docs/bamboohr-mapping.md), odd values included:
// "0000-00-00", "", display names instead of ids, unsorted history tables. Value rules:
// mapping-values.spec.ts; field planning: fields.spec.ts; OrgIndex: org.spec.ts.
import { customFieldsOf, mapBambooRecord, NO_TABLES, remoteFieldsOf } from './mapping';
import { ctx, lena, LISTS, NOW } from './mapping.spec-env';
import { OrgIndex } from './org';
import { uniformRecord } from './records';
import type { BambooListRow, BambooTableRow } from './types';

describe('mapBambooRecord', () => {
  it('maps every employee field of a full get-employee record', () => {
    const { employee: e, groups, location } = mapBambooRecord(lena, undefined, NO_TABLES, ctx);
    expect(e).toMatchObject({
      remote_id: '133',
      employee_number: '1042',
      first_name: 'Lena',
      last_name: 'Huber',
      display_full_name: 'Lena Huber',
      job_title: 'Sales Manager',
      work_email: 'Lena.Huber@example.de',
      personal_email: null,
      mobile_phone_number: '+49 170 1',
      gender: 'FEMALE',
      marital_status: 'MARRIED',
      ethnicity: 'ASIAN',
      employment_status: 'ACTIVE',
      employment_type: 'FULL_TIME',
      weekly_hours: 40,
      avatar: 'https://cdn.example/p/133.jpg',
      date_of_birth: '1990-02-28T00:00:00.000Z',
      start_date: '2021-04-01T00:00:00.000Z',
      termination_date: null,
      legal_entity_remote_id: null,
      tax_id: null,
      manager_remote_id: null,
      work_location_remote_id: '18',
      group_remote_ids: ['department:14', 'division:3'],
      home_address: {
        street_1: 'Leopoldstr. 1',
        street_2: null,
        city: 'München',
        state: 'Bayern',
        zip_code: '80802',
        country: 'DE',
        raw: 'Leopoldstr. 1, 80802 München, Bayern, Germany',
      },
    });
    expect(groups.map((g) => [g.remote_id, g.name, g.type])).toEqual([
      ['department:14', 'Sales', 'DEPARTMENT'],
      ['division:3', 'DACH', null],
    ]);
    expect(location).toMatchObject({ remote_id: '18', name: 'Munich' });
    expect(e.remote_data).toEqual({ '/v1/employees/133': lena });
  });

  it('custom fields: customXxx and numeric ids, typed by /meta/fields; remote_fields hold everything flat', () => {
    const { employee: e } = mapBambooRecord(lena, undefined, NO_TABLES, { ...ctx, customTypes: new Map([['customStart', 'date']]) });
    expect(e.custom_fields).toEqual({ customShirtSize: 'M', '4388': 'DE-7788', customStart: '2024-01-31T00:00:00.000Z' });
    expect(e.remote_fields).toMatchObject({ id: '133', firstName: 'Lena', terminationDate: null, preferredName: '', customShirtSize: 'M' });
    expect(customFieldsOf({ customEmpty: '', '77': '0000-00-00' })).toEqual({ customEmpty: null, '77': null });
  });

  it('list-row ids win over names (department, division, location, manager) and join remote_fields', () => {
    const row = {
      employeeId: '133',
      departmentId: '16',
      departmentName: 'Engineering',
      divisionId: '3',
      locationId: '19',
      reportsToId: '109',
      _restrictedFields: [],
    };
    const { employee: e, location } = mapBambooRecord(lena, row, NO_TABLES, ctx);
    expect(e.group_remote_ids).toEqual(['department:16', 'division:3']);
    expect(e.manager_remote_id).toBe('109');
    // an archived location an employee still points at is emitted for them
    expect(location).toMatchObject({ remote_id: '19', name: 'Berlin' });
    expect(e.remote_fields).toMatchObject({ departmentId: '16', reportsToId: '109' });
    expect(e.remote_fields).not.toHaveProperty('_restrictedFields');
    expect(e.remote_data['/v1/employees']).toBe(row);
    expect(mapBambooRecord(lena, { ...row, reportsToId: '0' }, NO_TABLES, ctx).employee.manager_remote_id).toBeNull();
  });

  it('lists unreadable: departments, divisions and locations are identified by name, an id only where no name is given', () => {
    const bare = new OrgIndex(null);
    const { employee: e, groups } = mapBambooRecord(
      { ...lena, department: 'R&D', division: '' },
      { employeeId: '133', divisionId: '99', divisionName: 'Nordics', departmentId: '7' },
      NO_TABLES,
      { now: NOW, org: bare },
    );
    expect(e.group_remote_ids).toEqual(['department:name:R&D', 'division:name:Nordics']);
    expect(groups[1]).toMatchObject({ name: 'Nordics' });
    expect(e.work_location_remote_id).toBe('name:Munich');
    const idOnly = mapBambooRecord({ ...lena, division: '' }, { employeeId: '133', divisionId: '99' }, NO_TABLES, { now: NOW, org: bare });
    expect(idOnly.employee.group_remote_ids).toContain('division:99');
  });

  it('ids unknown to the lists read stay ids; names no option of them has become name ids', () => {
    const { employee: e } = mapBambooRecord({ ...lena, department: 'R&D' }, { employeeId: '133', divisionId: '99', divisionName: 'Nordics' }, NO_TABLES, ctx);
    expect(e.group_remote_ids).toEqual(['department:name:R&D', 'division:99']);
  });

  it('a full read (list row: ids and names) and a delta (get-employee: names) give the same ids, whichever lists were read', () => {
    const row = {
      employeeId: '133',
      departmentId: '14',
      departmentName: 'Sales',
      divisionId: '3',
      divisionName: 'DACH',
      locationId: '18',
      locationName: 'Munich',
    };
    const ids = (org: OrgIndex, r?: BambooListRow) => {
      const m = mapBambooRecord(lena, r, NO_TABLES, { now: NOW, org });
      return { groups: m.employee.group_remote_ids, location: m.employee.work_location_remote_id, records: [...m.groups, m.location].map((x) => x?.remote_id) };
    };
    // Unreadable, readable without the location list (a key that may not see it), and readable.
    for (const org of [new OrgIndex(null), new OrgIndex(LISTS.filter((l) => l.alias !== 'location')), new OrgIndex(LISTS)]) {
      expect(ids(org, row)).toEqual(ids(org, undefined));
    }
    expect(ids(new OrgIndex(LISTS), row).location).toBe('18');
    expect(ids(new OrgIndex(LISTS.filter((l) => l.alias !== 'location')), row)).toMatchObject({
      groups: ['department:14', 'division:3'],
      location: 'name:Munich',
    });
  });

  it('preferred name and displayName', () => {
    expect(mapBambooRecord({ ...lena, preferredName: 'Leni' }, undefined, NO_TABLES, ctx).employee.display_full_name).toBe('Leni Huber');
    expect(mapBambooRecord({ ...lena, displayName: 'Huber, Lena' }, undefined, NO_TABLES, ctx).employee.display_full_name).toBe('Huber, Lena');
  });

  it('0000-00-00 and "" dates are null; a termination before a rehire date is history', () => {
    const e = mapBambooRecord({ ...lena, hireDate: '2024-02-01', terminationDate: '2023-05-31', dateOfBirth: '' }, undefined, NO_TABLES, ctx).employee;
    expect([e.start_date, e.termination_date, e.date_of_birth, e.employment_status]).toEqual(['2024-02-01T00:00:00.000Z', null, null, 'ACTIVE']);
    const left = mapBambooRecord({ ...lena, terminationDate: '2026-03-31', employmentHistoryStatus: 'Terminated' }, undefined, NO_TABLES, ctx).employee;
    expect([left.termination_date, left.employment_status, left.employment_type]).toEqual(['2026-03-31T00:00:00.000Z', 'INACTIVE', null]);
  });

  it('a future hire (read with onlyCurrent=false) is PENDING with the title of its first jobInfo row', () => {
    const tables = {
      jobInfo: [{ id: '9', employeeId: '200', date: '2026-08-01', jobTitle: 'Designer', department: 'Engineering', location: 'Munich' }],
      employmentStatus: [{ id: '4', date: '2026-08-01', employmentStatus: 'Part-Time' }],
      compensation: null,
    };
    const e = mapBambooRecord(
      { id: '200', firstName: 'Neu', lastName: 'Ling', hireDate: '2026-08-01', jobTitle: '', status: 'Active' },
      undefined,
      tables,
      ctx,
    ).employee;
    expect([e.employment_status, e.job_title, e.employment_type, e.group_remote_ids]).toEqual(['PENDING', 'Designer', 'PART_TIME', ['department:16']]);
  });

  it('the jobInfo row in effect today beats top-level values (read with onlyCurrent=false they may be future ones)', () => {
    const tables = {
      jobInfo: [
        { id: '1', date: '2021-04-01', jobTitle: 'Sales Rep', department: 'Sales' },
        { id: '2', date: '2026-09-01', jobTitle: 'Sales Manager', department: 'Engineering' },
      ],
      employmentStatus: null,
      compensation: null,
    };
    const e = mapBambooRecord(lena, undefined, tables, ctx).employee;
    expect([e.job_title, e.group_remote_ids[0]]).toEqual(['Sales Rep', 'department:14']);
  });

  it('an id-less record cannot be mapped', () => {
    expect(() => mapBambooRecord({ firstName: 'x' }, undefined, NO_TABLES, ctx)).toThrow(/without an id/);
  });

  it('remoteFieldsOf nulls only the empty-date literal', () => {
    expect(remoteFieldsOf({ id: '1', a: '0000-00-00', b: '', c: 0 })).toEqual({ id: '1', a: null, b: '', c: 0 });
  });

  it('a field keyed "__proto__" (field names are the account\'s) stays an own field of the record, remote_fields and employments; no prototype changes', () => {
    // As the reader gets it: JSON.parse makes "__proto__" an own key, uniformRecord makes the record the mapping reads.
    const raw = uniformRecord(JSON.parse('{"id":"7","firstName":"Ada","__proto__":{"workEmail":"x@evil.example"},"hireDate":"2021-04-01"}'));
    const row = JSON.parse('{"employeeId":"7","__proto__":"from the list","departmentId":"14"}') as BambooListRow;
    const compensation = [JSON.parse('{"id":"1","startDate":"2021-04-01","rate":"10 EUR","__proto__":{"x":1}}') as BambooTableRow];
    const own = (o: object, json: string) => {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(o, '__proto__')).toBe(true);
      expect(JSON.stringify(o)).toBe(json);
    };
    own(raw, '{"id":"7","firstName":"Ada","__proto__":{"workEmail":"x@evil.example"},"hireDate":"2021-04-01"}');
    const { employee, employments } = mapBambooRecord(raw, row, { ...NO_TABLES, compensation }, ctx);
    expect(employee.work_email).toBeNull(); // the "__proto__" field's keys are not the record's
    own(employee.remote_fields, '{"__proto__":{"workEmail":"x@evil.example"},"departmentId":"14","id":"7","firstName":"Ada","hireDate":"2021-04-01"}');
    expect(JSON.stringify(employee.remote_data)).toContain('"__proto__":{"workEmail":"x@evil.example"}');
    own(employments[0].remote_fields, '{"id":"1","startDate":"2021-04-01","rate":"10 EUR","__proto__":{"x":1}}');
  });
});

describe('employments', () => {
  const tables = {
    jobInfo: [
      { id: '2', date: '2024-01-01', jobTitle: 'Sales Manager' },
      { id: '1', date: '2021-04-01', jobTitle: 'Sales Rep' },
    ],
    employmentStatus: [
      { id: '1', date: '2021-04-01', employmentStatus: 'Part-Time' },
      { id: '2', date: '2023-06-01', employmentStatus: 'Full-Time' },
    ],
    compensation: [
      {
        id: '7',
        employeeId: '133',
        startDate: '2024-01-01',
        rate: { value: '5200.00', currency: 'EUR' },
        paidPer: 'Month',
        paySchedule: 'Monthly',
        type: 'Salary',
      },
      { id: '5', employeeId: '133', startDate: '2021-04-01', rate: '21.50 EUR', paidPer: 'Hour', paySchedule: 'Bi-Weekly', type: 'Hourly' },
    ],
  };
  it('one per compensation row, oldest first, with the title and type in effect on its start date', () => {
    const { employments } = mapBambooRecord(lena, undefined, tables, ctx);
    expect(
      employments.map((x) => [x.remote_id, x.effective_date, x.job_title, x.employment_type, x.pay_rate, x.pay_currency, x.pay_period, x.pay_frequency]),
    ).toEqual([
      ['compensation:133-5', '2021-04-01T00:00:00.000Z', 'Sales Rep', 'PART_TIME', 21.5, 'EUR', 'HOUR', 'BIWEEKLY'],
      ['compensation:133-7', '2024-01-01T00:00:00.000Z', 'Sales Manager', 'FULL_TIME', 5200, 'EUR', 'MONTH', 'MONTHLY'],
    ]);
    expect(employments[0]).toMatchObject({
      employee_remote_id: '133',
      remote_fields: { paidPer: 'Hour', type: 'Hourly' },
      remote_data: { '/v1/employees/133/tables/compensation': tables.compensation[1] },
    });
  });
  it('without compensation, one per jobInfo row with pay unknown', () => {
    const { employments } = mapBambooRecord(lena, undefined, { ...tables, compensation: null }, ctx);
    expect(employments.map((x) => [x.remote_id, x.job_title, x.employment_type, x.pay_rate])).toEqual([
      ['jobInfo:133-1', 'Sales Rep', 'PART_TIME', null],
      ['jobInfo:133-2', 'Sales Manager', 'FULL_TIME', null],
    ]);
  });
  it('without any table, one from the current fields (payRate as "4500.00 USD")', () => {
    const { employments } = mapBambooRecord({ ...lena, payRate: '4500.00 USD', payPer: 'Month', paySchedule: 'Twice a month' }, undefined, NO_TABLES, ctx);
    expect(employments).toHaveLength(1);
    expect(employments[0]).toMatchObject({
      remote_id: 'employee:133',
      job_title: 'Sales Manager',
      employment_type: 'FULL_TIME',
      pay_rate: 4500,
      pay_currency: 'USD',
      pay_period: 'MONTH',
      pay_frequency: 'SEMIMONTHLY',
      effective_date: '2021-04-01T00:00:00.000Z',
    });
    expect(Object.keys(employments[0].remote_data['/v1/employees/133'] as object)).toEqual([
      'jobTitle',
      'employmentHistoryStatus',
      'hireDate',
      'payRate',
      'payPer',
      'paySchedule',
    ]);
  });
});
