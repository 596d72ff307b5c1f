import { BambooTestSandbox, bamboo, startBambooHrForTest } from './index';

/** Behaviour of the employee endpoints over real HTTP (NOTES §4.1–4.5). */
describe('BambooHR sandbox: employees, changed, tables', () => {
  let t: BambooTestSandbox;
  const TODAY = '2026-11-30';

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 120, seed: 7 });
  });
  afterAll(() => t.close());

  const all = () => t.sandbox.employeeIds().map((id) => t.sandbox.employee(id));

  it('generates past, current and future history, terminated and inactive people, custom fields', () => {
    const people = all();
    expect(people.some((p) => p.employmentHistoryStatus === 'Terminated' && String(p.terminationDate) < TODAY)).toBe(true);
    expect(people.some((p) => p.status === 'Inactive' && p.employmentHistoryStatus !== 'Terminated')).toBe(true);
    expect(people.some((p) => p.employmentHistoryStatus === 'Leave of Absence')).toBe(true);
    const future = people.filter((p) => String(p.hireDate) > TODAY);
    expect(future.length).toBeGreaterThan(0);
    for (const p of future) {
      expect(p.jobTitle).toBe('');
      expect(t.sandbox.employee(Number(p.id), false).jobTitle).not.toBe('');
    }
    expect(people.some((p) => p.terminationDate === '0000-00-00' && String(t.sandbox.employee(Number(p.id), false).terminationDate) > TODAY)).toBe(true);
    expect(people.some((p) => p.customShirtSize !== '' && p['4388'] !== '')).toBe(true);
    expect(people.some((p) => p.originalHireDate !== p.hireDate)).toBe(true);
    const rows = t.sandbox.employeeIds().flatMap((id) => t.sandbox.tableRows(id, 'compensation'));
    expect(rows.some((r) => String(r.startDate) > TODAY)).toBe(true);
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const a = await startBambooHrForTest({ employees: 30, seed: 3 });
    const b = await startBambooHrForTest({ employees: 30, seed: 3 });
    const c = await startBambooHrForTest({ employees: 30, seed: 4 });
    try {
      const dump = (x: BambooTestSandbox) =>
        JSON.stringify(x.sandbox.employeeIds().map((id) => [x.sandbox.employee(id), x.sandbox.tableRows(id, 'jobInfo')])).replaceAll(x.url, '');
      expect(dump(a)).toBe(dump(b));
      expect(dump(a)).not.toBe(dump(c));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('authenticates with the key as Basic user name, any password, on both URL shapes', async () => {
    const ok = await fetch(`${t.gatewayBaseUrl}/employees/0?fields=firstName`, {
      headers: { authorization: `Basic ${Buffer.from(`${t.apiKey}:whatever`).toString('base64')}`, accept: 'application/json' },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).firstName).toEqual(expect.any(String));
    const none = await bamboo(t, '/meta/fields', { key: null });
    expect(none.status).toBe(401);
    expect(none.text).toBe('');
    expect(none.headers.get('x-bamboohr-error-message')).toMatch(/missing/i);
    expect((await bamboo(t, '/meta/fields', { key: 'nope' })).status).toBe(401);
    const other = await bamboo(t, '/meta/fields', { base: `${t.url}/api/gateway.php/othercorp/v1` });
    expect(other.status).toBe(404);
  });

  it('lists the thin field set with cursors that visit everyone once', async () => {
    const seen: string[] = [];
    let path = '/employees?page[limit]=25';
    for (let i = 0; i < 10 && path; i++) {
      const r = await bamboo(t, path);
      expect(r.status).toBe(200);
      expect(Object.keys(r.json.data[0]).sort()).toEqual([
        '_restrictedFields',
        'employeeId',
        'firstName',
        'jobTitleName',
        'lastName',
        'photoUrl',
        'preferredName',
        'status',
      ]);
      expect(r.json.meta.total).toBe(120);
      seen.push(...r.json.data.map((d: { employeeId: string }) => d.employeeId));
      const next = r.json.meta.page.nextCursor as string | null;
      path = next ? `/employees?page[limit]=25&page[after]=${encodeURIComponent(next)}` : '';
      if (!next) expect(r.json._links.next).toBeUndefined();
    }
    expect(seen).toEqual(t.sandbox.employeeIds().map(String));
  });

  it('filters, sorts, adds optional fields and restricts hidden ones', async () => {
    const inactive = await bamboo(t, '/employees?filter[status]=inactive&page[limit]=2500');
    expect(inactive.json.data.length).toBeGreaterThan(0);
    expect(inactive.json.data.every((d: { status: string }) => d.status === 'Inactive')).toBe(true);
    const [a, b] = t.sandbox.employeeIds();
    const repeated = await bamboo(t, `/employees?filter[ids][]=${a}&filter[ids][]=${b}`);
    const comma = await bamboo(t, `/employees?filter[ids]=${a},${b}`);
    expect(repeated.json.data.map((d: { employeeId: string }) => d.employeeId)).toEqual([String(a), String(b)]);
    expect(comma.json.data).toEqual(repeated.json.data);
    const sorted = await bamboo(t, '/employees?sort=-lastName&page[limit]=2500');
    const names = sorted.json.data.map((d: { lastName: string }) => d.lastName);
    expect(names).toEqual([...names].sort((x: string, y: string) => -x.localeCompare(y, 'en', { numeric: true, sensitivity: 'base' })));
    const extra = await bamboo(t, `/employees?filter[ids]=${b}&fields=departmentName,reportsToId,workEmail,notAField`);
    expect(extra.json.data[0]).toEqual(expect.objectContaining({ departmentName: expect.any(String), reportsToId: String(a) }));
    expect(extra.json.data[0]).not.toHaveProperty('notAField');
    const narrow = t.sandbox.addApiKey({ hiddenFields: ['workEmail', 'jobTitle'] });
    const r = await bamboo(t, `/employees?filter[ids]=${b}&fields=workEmail`, { key: narrow.key });
    expect(r.json.data[0]).toEqual(expect.objectContaining({ workEmail: null, jobTitleName: null, _restrictedFields: ['jobTitleName', 'workEmail'] }));
    expect((await bamboo(t, '/employees?filter[jobTitleName]=a', { key: narrow.key })).json.data).toEqual([]);
  });

  it('pages backwards with prevCursor and limits a key to the employees its user may see', async () => {
    const p1 = await bamboo(t, '/employees?page[limit]=10&sort=lastName');
    const p2 = await bamboo(t, `/employees?page[limit]=10&sort=lastName&page[after]=${encodeURIComponent(p1.json.meta.page.nextCursor)}`);
    expect(p1.json.meta.page.prevCursor).toBeNull();
    const back = await bamboo(t, `/employees?page[limit]=10&sort=lastName&page[before]=${encodeURIComponent(p2.json.meta.page.prevCursor)}`);
    expect(back.json.data).toEqual(p1.json.data);
    expect(p2.json._links.prev.href).toContain('page%5Bbefore%5D=');
    const [a, b, c] = t.sandbox.employeeIds();
    const scoped = t.sandbox.addApiKey({ visibleEmployeeIds: [a, b] });
    const list = await bamboo(t, '/employees', { key: scoped.key });
    expect(list.json.data.map((d: { employeeId: string }) => Number(d.employeeId))).toEqual([a, b]);
    expect((await bamboo(t, `/employees/${c}`, { key: scoped.key })).status).toBe(403);
    expect((await bamboo(t, `/employees/${c}/tables/jobInfo`, { key: scoped.key })).status).toBe(403);
    expect((await bamboo(t, `/employees/${c}/files/view`, { key: scoped.key })).status).toBe(403);
    expect((await bamboo(t, `/training/record/employee/${c}`, { key: scoped.key })).status).toBe(403);
    const changed = await bamboo(t, '/employees/changed?since=2000-01-01T00:00:00Z', { key: scoped.key });
    expect(Object.keys(changed.json.employees).map(Number)).toEqual([a, b]);
  });

  it('answers BadRequest / BadPage as the spec says', async () => {
    const big = await bamboo(t, '/employees?page[limit]=2501');
    expect(big.status).toBe(400);
    expect(big.json.error.code).toBe('BadRequest');
    expect((await bamboo(t, '/employees?sort=workEmail')).json.error.code).toBe('BadRequest');
    expect((await bamboo(t, '/employees?page[after]=garbage')).json.error.code).toBe('BadPage');
    const first = await bamboo(t, '/employees?page[limit]=5');
    expect((await bamboo(t, `/employees?page[limit]=5&page[before]=${encodeURIComponent(first.json.meta.page.nextCursor)}`)).json.error.code).toBe('BadPage');
    const id = Number(first.json.data[4].employeeId);
    t.sandbox.remove(id);
    const after = await bamboo(t, `/employees?page[limit]=5&page[after]=${encodeURIComponent(first.json.meta.page.nextCursor)}`);
    expect(after.status).toBe(400);
    expect(after.json.error.code).toBe('BadPage');
  });

  it('gets one employee with selected fields, id 0, hidden fields omitted, XML by default, 400 over 400 fields', async () => {
    const id = t.sandbox.employeeIds()[5];
    const r = await bamboo(t, `/employees/${id}?fields=firstName,jobTitle,department,terminationDate,supervisorEId,4388,lastChanged,nope`);
    expect(r.status).toBe(200);
    // (JSON.parse puts integer-like keys such as "4388" first, so compare as sets)
    expect(Object.keys(r.json).sort()).toEqual(['4388', 'department', 'firstName', 'id', 'jobTitle', 'lastChanged', 'supervisorEId', 'terminationDate']);
    expect(r.json.lastChanged).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const zero = await bamboo(t, '/employees/0');
    expect(zero.json.id).toBe(String(t.sandbox.employeeIds()[0]));
    expect(Object.keys(zero.json)).toEqual(['id', 'firstName', 'lastName']);
    const hidden = t.sandbox.addApiKey({ hiddenFields: ['lastName'] });
    expect(Object.keys((await bamboo(t, `/employees/${id}`, { key: hidden.key })).json)).toEqual(['id', 'firstName']);
    const xml = await bamboo(t, `/employees/${id}?fields=firstName`, { accept: null });
    expect(xml.headers.get('content-type')).toMatch(/xml/);
    expect(xml.text).toContain(`<employee id="${id}"><field id="firstName">`);
    const tooMany = await bamboo(t, `/employees/${id}?fields=${Array.from({ length: 401 }, (_, i) => `f${i}`).join(',')}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.headers.get('x-bamboohr-error-message')).toMatch(/400/);
    expect((await bamboo(t, '/employees/999999')).status).toBe(404);
  });

  it('reports Inserted, Updated (fields and table rows) and Deleted since a timestamp', async () => {
    t.sandbox.advanceClock(5000);
    const since = t.sandbox.now().toISOString().slice(0, 19) + '+00:00';
    t.sandbox.advanceClock(1000);
    const hired = t.sandbox.hire({ firstName: 'Nina', lastName: 'Neu' }).id;
    const [u1, u2, gone] = t.sandbox.employeeIds().slice(10, 13);
    t.sandbox.update(u1, { mobilePhone: '+49 1' });
    t.sandbox.addTableRow(u2, 'compensation', { startDate: '2026-01-01', rate: '99999.00 EUR', type: 'Salary', paidPer: 'Year' });
    t.sandbox.remove(gone);
    const r = await bamboo(t, `/employees/changed?since=${encodeURIComponent(since)}`);
    expect(r.status).toBe(200);
    const actions = Object.fromEntries(Object.entries(r.json.employees as Record<string, { action: string; id: string }>).map(([k, v]) => [k, v.action]));
    expect(actions).toEqual({ [hired]: 'Inserted', [u1]: 'Updated', [u2]: 'Updated', [gone]: 'Deleted' });
    expect(Object.values(r.json.employees as Record<string, { id: string }>).every((v) => typeof v.id === 'string')).toBe(true);
    expect(Date.parse(r.json.latest)).toBeGreaterThan(Date.parse(since));
    const deleted = await bamboo(t, `/employees/changed?since=${encodeURIComponent(since)}&type=deleted`);
    expect(Object.keys(deleted.json.employees)).toEqual([String(gone)]);
    // an unencoded "+" arrives as a space (NOTES §12.8)
    expect((await bamboo(t, `/employees/changed?since=${since}`)).status).toBe(400);
    expect((await bamboo(t, '/employees/changed?since=2026-11-30T10:00:00%2B0100')).status).toBe(200);
    const changedTable = await bamboo(t, `/employees/changed/tables/compensation?since=${encodeURIComponent(since)}`);
    expect(changedTable.json.table).toBe('compensation');
    expect(changedTable.json.employees[String(u2)].rows.length).toBe(t.sandbox.tableRows(u2, 'compensation').length);
  });

  it('counts a future-dated row when it takes effect (default) or when entered (switch)', async () => {
    const id = t.sandbox.employeeIds()[20];
    const since = new Date(t.sandbox.now().getTime() + 1000).toISOString().slice(0, 19) + 'Z';
    t.sandbox.advanceClock(2000);
    t.sandbox.addTableRow(id, 'jobInfo', { date: '2026-12-15', jobTitle: 'Controller', department: 'Finance', division: 'DACH', location: 'Vienna' });
    const changed = async () => Object.keys((await bamboo(t, `/employees/changed?since=${since}`)).json.employees);
    expect(await changed()).not.toContain(String(id));
    t.sandbox.setSwitches({ futureRowsChangeWhen: 'entered' });
    expect(await changed()).toContain(String(id));
    t.sandbox.setSwitches({ futureRowsChangeWhen: 'effective' });
    const before = t.sandbox.now();
    t.sandbox.setClock(new Date('2026-12-16T08:00:00Z'));
    expect(await changed()).toContain(String(id));
    expect((await bamboo(t, `/employees/${id}?fields=jobTitle`)).json.jobTitle).toBe('Controller');
    t.sandbox.setClock(before);
  });

  it('serves tables per employee and for all, unsorted, with onlyCurrent as a switch', async () => {
    const id = t.sandbox.employeeIds().find((x) => t.sandbox.tableRows(x, 'jobInfo').some((r) => String(r.date) > TODAY))!;
    const r = await bamboo(t, `/employees/${id}/tables/jobInfo`);
    expect(r.status).toBe(200);
    expect(r.json[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), employeeId: String(id), date: expect.any(String), reportsTo: expect.anything() }),
    );
    expect(r.json.some((x: { date: string }) => x.date > TODAY)).toBe(true);
    t.sandbox.setSwitches({ tablesHonourOnlyCurrent: true });
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo`)).json.some((x: { date: string }) => x.date > TODAY)).toBe(false);
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo?onlyCurrent=false`)).json.some((x: { date: string }) => x.date > TODAY)).toBe(true);
    t.sandbox.setSwitches({ tablesHonourOnlyCurrent: false });
    const everyone = await bamboo(t, '/employees/all/tables/employmentStatus');
    expect(new Set(everyone.json.map((x: { employeeId: string }) => x.employeeId)).size).toBe(t.sandbox.employeeIds().length);
    const anyUnsorted = t.sandbox.employeeIds().some((x) => {
      const dates = t.sandbox.tableRows(x, 'jobInfo').map((row) => String(row.date));
      return dates.join() !== [...dates].sort().join();
    });
    expect(anyUnsorted).toBe(true);
    expect((await bamboo(t, `/employees/${id}/tables/nope`)).status).toBe(404);
    const xml = await bamboo(t, `/employees/${id}/tables/jobInfo`, { accept: null });
    expect(xml.text).toMatch(/^<\?xml version="1.0"\?>\n<table><row id="\d+" employeeId="\d+"><field id="date">/);
  });
});
