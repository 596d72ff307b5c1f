import { BambooTestSandbox, bamboo, basicAuth, startBambooHrForTest } from './index';

/** `POST /api/v1/reports/custom` (deprecated bulk read, NOTES §4.10). */
describe('BambooHR sandbox: custom report', () => {
  let t: BambooTestSandbox;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 40, seed: 4 });
  });
  afterAll(() => t.close());

  const report = (body: unknown, query = '?format=JSON', headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${t.baseUrl}/reports/custom${query}`, {
      method: 'POST',
      headers: { authorization: basicAuth(t.apiKey), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('returns every employee, Active and Inactive, with string values and known, visible fields only', async () => {
    const res = await report({ title: 'sync', fields: ['firstName', 'terminationDate', 'status', 'photoUploaded', '4388', 'notAField'] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.title).toBe('sync');
    expect(body.fields.map((f: { id: string }) => f.id)).toEqual(['firstName', 'terminationDate', 'status', 'photoUploaded', '4388']);
    expect(body.employees.map((e: { id: string }) => e.id)).toEqual(t.sandbox.employeeIds().map(String));
    expect(new Set(body.employees.map((e: { status: string }) => e.status))).toEqual(new Set(['Active', 'Inactive']));
    for (const e of body.employees) for (const v of Object.values(e)) expect(typeof v).toBe('string');
    const narrow = t.sandbox.addApiKey({ hiddenFields: ['firstName'] });
    const hidden = await fetch(`${t.baseUrl}/reports/custom?format=json`, {
      method: 'POST',
      headers: { authorization: basicAuth(narrow.key), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: ['firstName', 'lastName'] }),
    });
    expect((await hidden.json()).fields.map((f: { id: string }) => f.id)).toEqual(['lastName']);
  });

  it('filters by employeeIds and lastChanged, honours onlyCurrent', async () => {
    const [a, b] = t.sandbox.employeeIds();
    const byIds = await (await report({ fields: ['lastName'], filters: { employeeIds: [a, b] } })).json();
    expect(byIds.employees.map((e: { id: string }) => e.id)).toEqual([String(a), String(b)]);
    t.sandbox.advanceClock(10_000);
    const since = t.sandbox.now().toISOString();
    t.sandbox.advanceClock(1000);
    t.sandbox.update(b, { mobilePhone: '+49 2' });
    const changed = await (await report({ fields: ['mobilePhone'], filters: { lastChanged: { includeNull: 'no', value: since } } })).json();
    expect(changed.employees).toEqual([{ id: String(b), mobilePhone: '+49 2' }]);
    const future = t.sandbox.employeeIds().find((id) => String(t.sandbox.employee(id).hireDate) > '2026-11-30')!;
    const cur = await (await report({ fields: ['jobTitle'], filters: { employeeIds: [future] } })).json();
    const all = await (await report({ fields: ['jobTitle'], filters: { employeeIds: [future] } }, '?format=json&onlyCurrent=false')).json();
    expect(cur.employees[0].jobTitle).toBe('');
    expect(all.employees[0].jobTitle).not.toBe('');
  });

  it('negotiates the format like BambooHR: format param, else exact Accept; content type must be exactly JSON', async () => {
    expect((await report({ fields: ['firstName'] }, '', { 'content-type': 'application/json', accept: '*/*' })).status).toBe(404);
    expect((await report({ fields: ['firstName'] }, '', { 'content-type': 'application/json', accept: 'application/xml' })).status).toBe(404);
    const xml = await report({ fields: ['firstName'] }, '', { 'content-type': 'application/json', accept: 'text/xml' });
    expect(await xml.text()).toMatch(
      /^<\?xml version="1.0"\?>\n<report><title\/><fields><field id="firstName" type="text">First Name<\/field><\/fields><employees><employee id="\d+">/,
    );
    const csv = await (await report({ fields: ['firstName', 'lastName'] }, '?format=CSV')).text();
    expect(csv.split('\n')[0]).toBe('id,firstName,lastName');
    const charset = await report({ fields: ['firstName'] }, '?format=json', { 'content-type': 'application/json; charset=UTF-8' });
    expect(charset.status).toBe(400);
    expect(charset.headers.get('x-bamboohr-error-message')).toBe('Malformed XML');
    const asXml = await report(
      '<report><title>x</title><fields><field id="lastName"/></fields><filters><employeeIds><employeeId>101</employeeId></employeeIds></filters></report>',
      '?format=json',
      { 'content-type': 'text/xml' },
    );
    expect((await asXml.json()).employees).toEqual([{ id: '101', lastName: t.sandbox.employee(101).lastName }]);
    const tooMany = await report({ fields: Array.from({ length: 401 }, (_, i) => `f${i}`) });
    expect(tooMany.status).toBe(400);
    expect((await bamboo(t, '/reports/custom?format=bogus', { method: 'POST', body: { fields: [] } })).status).toBe(404);
  });
});
