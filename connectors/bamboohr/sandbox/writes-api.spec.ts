import { BambooTestSandbox, bamboo, basicAuth, startBambooHrForTest } from './index';

/** Employee and table-row writes over the public API (create/update employee, add/update row). */
describe('BambooHR sandbox: writes', () => {
  let t: BambooTestSandbox;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 10, seed: 8 });
  });
  afterAll(() => t.close());

  it('creates an employee: 201, id only in Location; the delta reports it Inserted', async () => {
    const since = new Date(t.sandbox.now().getTime() - 1000).toISOString().slice(0, 19) + 'Z';
    const r = await bamboo(t, '/employees', {
      method: 'POST',
      body: { firstName: 'Sam', lastName: 'Park', hireDate: '2026-11-30', department: 'Sales', workEmail: 'sam.park@acme.example.com' },
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    const id = Number(/\/employees\/(\d+)$/.exec(r.headers.get('location')!)![1]);
    expect((await bamboo(t, `/employees/${id}?fields=firstName,department,workEmail`)).json).toEqual({
      id: String(id),
      firstName: 'Sam',
      department: 'Sales',
      workEmail: 'sam.park@acme.example.com',
    });
    expect((await bamboo(t, `/employees/changed?since=${since}`)).json.employees[String(id)].action).toBe('Inserted');
    expect((await bamboo(t, '/employees', { method: 'POST', body: { firstName: 'No' } })).status).toBe(400);
    expect((await bamboo(t, '/employees', { method: 'POST', body: { firstName: 'A', lastName: 'B', workEmail: 'SAM.PARK@acme.example.com' } })).status).toBe(
      409,
    );
  });

  it('updates fields (JSON or XML) with 200 and no body; 404, 400, 409 as listed', async () => {
    const [a, b] = t.sandbox.employeeIds();
    const r = await bamboo(t, `/employees/${a}`, { method: 'POST', body: { mobilePhone: '+49 170 1', customShirtSize: 'XL' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(t.sandbox.employee(a)).toEqual(expect.objectContaining({ mobilePhone: '+49 170 1', customShirtSize: 'XL' }));
    const xml = await fetch(`${t.baseUrl}/employees/${a}`, {
      method: 'POST',
      headers: { authorization: basicAuth(t.apiKey), 'content-type': 'text/xml' },
      body: '<employee><field id="lastName">Müller &amp; Söhne</field></employee>',
    });
    expect(xml.status).toBe(200);
    expect(t.sandbox.employee(a).lastName).toBe('Müller & Söhne');
    expect((await bamboo(t, '/employees/999999', { method: 'POST', body: { mobilePhone: '1' } })).status).toBe(404);
    expect((await bamboo(t, `/employees/${a}`, { method: 'POST', body: { department: 'Sales' } })).status).toBe(400);
    const dup = t.sandbox.employee(b).workEmail as string;
    expect((await bamboo(t, `/employees/${a}`, { method: 'POST', body: { workEmail: dup } })).status).toBe(409);
  });

  it('adds and updates table rows; list values are checked (406); the top-level fields follow', async () => {
    const id = t.sandbox.employeeIds()[3];
    const manager = t.sandbox.employee(t.sandbox.employeeIds()[0]);
    const add = await bamboo(t, `/employees/${id}/tables/jobInfo`, {
      method: 'POST',
      body: {
        date: '2026-11-01',
        jobTitle: 'Controller',
        department: 'Finance',
        division: 'DACH',
        location: 'Vienna',
        reportsTo: `${manager.firstName} ${manager.lastName}`,
      },
    });
    expect(add.status).toBe(200);
    expect((await bamboo(t, `/employees/${id}?fields=jobTitle,location,supervisorEId`)).json).toEqual({
      id: String(id),
      jobTitle: 'Controller',
      location: 'Vienna',
      supervisorEId: manager.id,
    });
    const row = t.sandbox.tableRows(id, 'jobInfo').find((r) => r.date === '2026-11-01')!;
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo/${row.id}`, { method: 'POST', body: { location: 'Madrid' } })).status).toBe(200);
    expect(t.sandbox.employee(id).location).toBe('Madrid');
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo`, { method: 'POST', body: { date: '2026-11-02', department: 'Astrology' } })).status).toBe(406);
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo`, { method: 'POST', body: { department: 'Sales' } })).status).toBe(400);
    expect((await bamboo(t, `/employees/${id}/tables/nope`, { method: 'POST', body: { date: '2026-11-02' } })).status).toBe(404);
    expect((await bamboo(t, `/employees/${id}/tables/jobInfo/999999`, { method: 'POST', body: { location: 'Madrid' } })).status).toBe(404);
    const term = await bamboo(t, `/employees/${id}/tables/employmentStatus`, {
      method: 'POST',
      body: { date: '2026-11-15', employmentStatus: 'Terminated', terminationTypeId: 'Death' },
    });
    expect(term.status).toBe(200);
    expect((await bamboo(t, `/employees/${id}?fields=terminationDate,employmentHistoryStatus`)).json).toEqual({
      id: String(id),
      terminationDate: '2026-11-15',
      employmentHistoryStatus: 'Terminated',
    });
  });
});
