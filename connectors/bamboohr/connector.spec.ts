// The BambooHR connector against the BambooHR simulator over real HTTP: full and
// delta reads (inserts, updates, deletions, restarts, partial visibility, settings).
import type { UnifiedBatch } from '../unified';
import { createBamboohrConnector } from './connector';
import { connector, sorted, useBambooEnv } from './connector.spec-env';

const env = useBambooEnv();
const { ctxFor, readAll } = env;

describe('read', () => {
  it('full read: every employee once, in pages, with employments, groups and locations', async () => {
    const { batches, employees, employments } = await readAll(ctxFor());
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(env.sb.sandbox.employeeIds()));
    expect(new Set(employees.map((e) => e.remote_id)).size).toBe(employees.length);
    expect(batches.length).toBeGreaterThanOrEqual(3); // 20 employees, 7 per page
    // Every employee has at least one employment; their ids are unique.
    expect(new Set(employments.map((e) => e.employee_remote_id))).toEqual(new Set(employees.map((e) => e.remote_id)));
    expect(new Set(employments.map((e) => e.remote_id)).size).toBe(employments.length);
    // Groups and locations referenced by employees were emitted (once) in the read.
    const groups = new Set(batches.flatMap((b) => b.groups.map((g) => g.remote_id)));
    const locations = new Set(batches.flatMap((b) => b.locations.map((l) => l.remote_id)));
    expect(groups.size).toBe(batches.flatMap((b) => b.groups).length);
    for (const e of employees) {
      e.group_remote_ids.forEach((g) => expect(groups).toContain(g));
      if (e.work_location_remote_id) expect(locations).toContain(e.work_location_remote_id);
    }
    expect(batches.flatMap((b) => b.legal_entities)).toEqual([]);
  });

  it('reads records through one custom report per page, mapping them as one request per person would', async () => {
    env.sb.sandbox.clearRequestLog();
    const viaReport = await readAll(ctxFor());
    const log = env.sb.sandbox.requestLog();
    expect(log.filter((r) => r.path.endsWith('/reports/custom')).length).toBe(Math.ceil(env.sb.sandbox.employeeIds().length / 7));
    expect(log.filter((r) => /\/employees\/\d+$/.test(r.path))).toHaveLength(0);
    const perPerson = await readAll(ctxFor(env.sb.apiKey, { settings: { readStrategy: 'records' } }));
    // Report values are all strings (photoUploaded "true") and name empty fields get-employee leaves out
    // (a sub-field "4020.1" as ""), so raw fields differ; the unified values do not.
    const set = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
    const unified = (es: typeof viaReport.employees) =>
      es
        .map(({ remote_fields: _f, remote_data: _d, custom_fields, ...rest }) => (void _f, void _d, { ...rest, custom_fields: set(custom_fields) }))
        .sort((a, b) => a.remote_id.localeCompare(b.remote_id));
    expect(unified(viaReport.employees)).toEqual(unified(perPerson.employees));
    expect(viaReport.employments.map((e) => e.remote_id).sort()).toEqual(perPerson.employments.map((e) => e.remote_id).sort());
  });

  it('maps an employee as the simulator holds it (names, dates, status from dates)', async () => {
    const id = env.sb.sandbox.employeeIds()[0];
    const held = env.sb.sandbox.employee(id);
    const { employees } = await readAll(ctxFor());
    const e = employees.find((x) => x.remote_id === String(id))!;
    expect(e.first_name).toBe(held.firstName);
    expect(e.last_name).toBe(held.lastName);
    expect(e.start_date?.slice(0, 10)).toBe(held.hireDate);
    expect(e.work_email).toBe(String(held.workEmail).replace(/@(.*)$/, (_m, d: string) => `@${d.toLowerCase()}`));
    expect(e.remote_fields.firstName).toBe(held.firstName);
  });

  it('a terminated employee is INACTIVE after the termination date, a future hire PENDING', async () => {
    const [a] = env.sb.sandbox.employeeIds();
    const day = (offsetDays: number) => new Date(env.sb.sandbox.now().getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    env.sb.sandbox.terminate(a, day(-2), { inactive: true });
    const { id: hired } = env.sb.sandbox.hire({ firstName: 'Future', lastName: 'Hire', hireDate: day(20) });
    const { employees } = await readAll(ctxFor());
    expect(employees.find((e) => e.remote_id === String(a))).toMatchObject({ employment_status: 'INACTIVE', termination_date: `${day(-2)}T00:00:00.000Z` });
    expect(employees.find((e) => e.remote_id === String(hired))).toMatchObject({ employment_status: 'PENDING', first_name: 'Future' });
  });

  it('delta read: inserted and updated people come back, deleted ones are reported vanished', async () => {
    // `since` goes out in whole seconds (rounded down): earlier tests' changes must lie further back.
    env.sb.sandbox.advanceClock(5000);
    const since = env.sb.sandbox.now();
    env.sb.sandbox.advanceClock(60_000);
    const ids = env.sb.sandbox.employeeIds();
    const { id: hired } = env.sb.sandbox.hire({ firstName: 'Nova', lastName: 'Delta' });
    env.sb.sandbox.update(ids[1], { firstName: 'Renamed' });
    env.sb.sandbox.remove(ids[2]);
    env.sb.sandbox.advanceClock(60_000);
    const vanished: Array<{ employees: string[] }> = [];
    const { employees } = await readAll(ctxFor(), since, vanished);
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted([hired, ids[1]]));
    expect(employees.find((e) => e.remote_id === String(ids[1]))?.first_name).toBe('Renamed');
    expect(vanished.flatMap((v) => v.employees)).toEqual([String(ids[2])]);
  });

  it('a large delta reads tables from the changed-tables feed and maps the same employments as a full read', async () => {
    const bulk = createBamboohrConnector({ client: { timeScale: 1000 }, pageSize: 7, perPersonTablesMax: 1 });
    // `since` goes out in whole seconds (rounded down): earlier tests' changes must lie further back.
    env.sb.sandbox.advanceClock(5000);
    const since = env.sb.sandbox.now();
    env.sb.sandbox.advanceClock(60_000);
    const ids = env.sb.sandbox.employeeIds().slice(0, 4);
    for (const id of ids) env.sb.sandbox.update(id, { preferredName: `P${id}` });
    env.sb.sandbox.advanceClock(60_000);
    const delta: UnifiedBatch[] = [];
    for await (const b of bulk.read(ctxFor(), { since })) delta.push(b);
    const { employments: full } = await readAll(ctxFor());
    const deltaEmployments = delta.flatMap((b) => b.employments);
    expect(sorted(delta.flatMap((b) => b.employees.map((e) => e.remote_id)))).toEqual(sorted(ids));
    expect(deltaEmployments.length).toBeGreaterThan(0);
    const fullOf = full.filter((e) => ids.map(String).includes(e.employee_remote_id));
    expect(deltaEmployments.map((e) => [e.remote_id, e.pay_rate, e.job_title]).sort()).toEqual(
      fullOf.map((e) => [e.remote_id, e.pay_rate, e.job_title]).sort(),
    );
    expect(env.sb.sandbox.requestLog().some((r) => r.path.includes('/employees/changed/tables/'))).toBe(true);
  });

  it('a full read reports people deleted while it ran as vanished', async () => {
    const victim = env.sb.sandbox.employeeIds()[0];
    const vanished: Array<{ employees: string[] }> = [];
    const batches: UnifiedBatch[] = [];
    for await (const b of connector.read(ctxFor(), { onVanished: (v) => vanished.push(v) })) {
      batches.push(b);
      if (batches.length === 1) {
        env.sb.sandbox.advanceClock(1000);
        env.sb.sandbox.remove(victim);
      }
    }
    expect(batches.flatMap((b) => b.employees.map((e) => e.remote_id))).toContain(String(victim));
    expect(vanished.flatMap((v) => v.employees)).toEqual([String(victim)]);
  });

  it('restarts the list when BambooHR rejects the cursor (BadPage) and still yields everyone exactly once', async () => {
    env.sb.sandbox.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const { employees } = await readAll(ctxFor());
    env.sb.sandbox.resetFaults();
    const ids = employees.map((e) => e.remote_id);
    expect(new Set(ids).size).toBe(ids.length);
    // Everyone still there was read; the one deleted between pages may have been read before it went.
    for (const id of env.sb.sandbox.employeeIds()) expect(ids).toContain(String(id));
    expect(env.sb.sandbox.requestLog().some((r) => r.status === 400)).toBe(true);
    expect(env.warnings.some((w) => /reading it again/.test(w))).toBe(true);
  });

  it('a key the cursor list refuses (OAuth-only) still reads everyone, by ids from the change log', async () => {
    env.sb.sandbox.setSwitches({ basicOnOauthOnlyEndpoints: false });
    try {
      const { employees } = await readAll(ctxFor());
      expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(env.sb.sandbox.employeeIds()));
      expect(employees.every((e) => e.manager_remote_id === null)).toBe(true);
      expect(env.warnings.some((w) => /changed-since/.test(w))).toBe(true);
      const check = await connector.check(ctxFor());
      expect(check).toMatchObject({ ok: true, missing: [{ key: 'reportsTo', optional: true }] });
      expect((await connector.readPeople!(ctxFor(), [String(employees[0].remote_id)])).batch.employees).toHaveLength(1);
      expect((await connector.documentCategories(ctxFor())).length).toBeGreaterThan(0);
    } finally {
      env.sb.sandbox.setSwitches({ basicOnOauthOnlyEndpoints: true });
    }
  });

  it('the tool settings reach the mapping: status vocabularies and the division group type', async () => {
    const [id] = env.sb.sandbox.employeeIds();
    const day = new Date(env.sb.sandbox.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    env.sb.sandbox.addTableRow(id, 'employmentStatus', { date: day, employmentStatus: 'Sabbatical' });
    const settings = { leaveStatuses: 'Sabbatical', divisionGroupType: 'DEPARTMENT' };
    const r = await connector.readPeople!(ctxFor(env.sb.apiKey, { settings }), [String(id)]);
    expect(r.batch.employees[0].employment_status).toBe('LEAVE');
    const division = r.batch.groups.find((g) => g.remote_id.startsWith('division:'));
    expect(division?.type).toBe('DEPARTMENT');
    const plain = await connector.readPeople!(ctxFor(), [String(id)]);
    expect(plain.batch.employees[0].employment_status).toBe('ACTIVE');
    // As a leave value Sabbatical is a state, and the type before it counts; unconfigured it is an unknown type, passed through.
    expect(r.batch.employees[0].employment_type).not.toBe('Sabbatical');
    expect(r.batch.employees[0].employment_type).not.toBeNull();
    expect(plain.batch.employees[0].employment_type).toBe('Sabbatical');
  });

  it('a key that sees part of the company reads that part; people it may not see are neither read nor gone', async () => {
    const [a, b, c] = env.sb.sandbox.employeeIds();
    const key = env.sb.sandbox.addApiKey({ visibleEmployeeIds: [a, b] });
    const { employees } = await readAll(ctxFor(key.key));
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted([a, b]));
    const r = await connector.readPeople!(ctxFor(key.key), [String(a), String(c)]);
    expect(r.batch.employees.map((e) => e.remote_id)).toEqual([String(a)]);
    expect(r.gone.employees).toEqual([]);
    expect(env.warnings.some((w) => /may not see some employees/.test(w))).toBe(true);
  });

  it('readPeople re-reads the given people; unknown ids are gone', async () => {
    const [a, b] = env.sb.sandbox.employeeIds();
    const r = await connector.readPeople!(ctxFor(), [String(a), String(b), '999999']);
    expect(sorted(r.batch.employees.map((e) => e.remote_id))).toEqual(sorted([a, b]));
    expect(r.gone.employees).toEqual(['999999']);
  });
});
