import { BambooTestSandbox, bamboo, startBambooHrForTest } from './index';
import { parseFilter } from './datasets-api';

/** Datasets API (v1.2 metadata, v2 data with OData-style filters; NOTES §4.10). */
describe('BambooHR sandbox: datasets', () => {
  let t: BambooTestSandbox;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 60, seed: 12 });
  });
  afterAll(() => t.close());

  const data = (body: unknown) => bamboo(t, '/datasets/employee/data', { method: 'POST', body, base: `${t.url}/api/v2` });

  it('lists the employee dataset and its fields, paged', async () => {
    expect((await bamboo(t, '/datasets', { base: `${t.url}/api/v1_2` })).json).toEqual({ datasets: [{ name: 'employee', label: 'Employee' }] });
    const f = await bamboo(t, '/datasets/employee/fields?page=1&page_size=10', { base: `${t.url}/api/v1_2` });
    expect(f.json.fields).toHaveLength(10);
    expect(f.json.fields[0]).toEqual({ name: 'employeeId', label: 'Employee ID', parentType: 'page', parentName: 'Personal', entityName: 'personal' });
    expect(f.json.pagination).toEqual(expect.objectContaining({ current_page: 1, next_page: expect.stringContaining('page=2'), prev_page: null }));
    const missing = await bamboo(t, '/datasets/nope/fields', { base: `${t.url}/api/v1_2` });
    expect(missing.status).toBe(422);
    expect(missing.json.code).toBe('DATASET_NOT_FOUND');
  });

  it('returns string values in pages, filtered and ordered', async () => {
    const all = await data({ fields: ['employeeId', 'lastName', 'status', 'department', 'terminationDate'], pageSize: 25 });
    expect(all.status).toBe(200);
    expect(all.json.meta).toEqual({ page: 1, pageSize: 25, totalPages: 3, totalItems: 60 });
    expect(all.json.links.prev).toBeNull();
    for (const r of all.json.data) for (const v of Object.values(r.fields)) expect(typeof v).toBe('string');
    expect(all.json.data.some((r: { fields: { terminationDate: string } }) => r.fields.terminationDate === '')).toBe(true);
    const filtered = await data({
      fields: ['employeeId', 'department', 'status'],
      filter: "status eq 'Active' and department in ('Engineering','Sales')",
      orderBy: 'department desc, employeeId asc',
      pageSize: 1000,
    });
    const rows = filtered.json.data.map((r: { fields: Record<string, string> }) => r.fields);
    const expected = t.sandbox
      .employeeIds()
      .map((id) => t.sandbox.employee(id))
      .filter((e) => e.status === 'Active' && ['Engineering', 'Sales'].includes(String(e.department)));
    expect(rows.length).toBe(expected.length);
    expect(rows.map((r: Record<string, string>) => r.department)).toEqual(
      rows
        .map((r: Record<string, string>) => r.department)
        .sort()
        .reverse(),
    );
    const changed = await data({ fields: ['employeeId'], filter: "lastChanged gt '2026-11-01T00:00:00+00:00' or (hireDate ge '2026-12-01')" });
    expect(changed.json.meta.totalItems).toBeGreaterThan(0);
    expect(changed.json.meta.totalItems).toBeLessThan(60);
  });

  it('rejects bad requests with problem JSON', async () => {
    expect((await data({})).status).toBe(400);
    expect((await data({ fields: ['shoeSize'] })).status).toBe(422);
    expect((await data({ fields: ['lastName'], filter: "lastName like 'A%'" })).json.code).toBe('INVALID_FILTER');
    expect((await data({ fields: ['lastName'], orderBy: 'firstName asc' })).status).toBe(422);
    expect((await data({ fields: ['lastName'], pageSize: 1001 })).status).toBe(422);
    const nope = await bamboo(t, '/datasets/nope/data', { method: 'POST', body: { fields: ['lastName'] }, base: `${t.url}/api/v2` });
    expect(nope.status).toBe(404);
    expect(nope.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('parses the OData subset with and-before-or precedence and quoted quotes', () => {
    expect(parseFilter("a eq 'x' or b eq 1 and c ne null")).toEqual({
      kind: 'logic',
      op: 'or',
      left: { kind: 'cmp', field: 'a', cmp: 'eq', value: 'x' },
      right: { kind: 'logic', op: 'and', left: { kind: 'cmp', field: 'b', cmp: 'eq', value: 1 }, right: { kind: 'cmp', field: 'c', cmp: 'ne', value: null } },
    });
    expect(parseFilter("lastName eq 'O''Connor'")).toEqual({ kind: 'cmp', field: 'lastName', cmp: 'eq', value: "O'Connor" });
    expect(() => parseFilter("a eq 'x' and")).toThrow('unexpected end of filter');
  });
});
