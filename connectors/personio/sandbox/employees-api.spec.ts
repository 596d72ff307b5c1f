import { PersonioSandbox, startPersonioSandbox } from './index';
import { get, token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let t: string;

beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 120, seed: 5, now: NOW, rateLimits: false });
  t = await token(sb);
});
afterAll(() => sb.close());

const list = (query: string, bearer = t) => get(sb, `/v1/company/employees${query}`, bearer);
const attr = (emp: any, key: string) => emp.attributes[key]?.value; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GET /v1/company/employees', () => {
  it('pages by plain offset over the id-ordered list with Personio envelope and defaults', async () => {
    const first = await list('');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ success: true, offset: 0, limit: 50, metadata: { total_elements: 120, current_page: 0, total_pages: 3 } });
    expect(first.json.data).toHaveLength(50);
    const page2 = await list('?limit=50&offset=50');
    expect(page2.json.metadata.current_page).toBe(1);
    const ids = [...first.json.data, ...page2.json.data].map((e: any) => attr(e, 'id')); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ids).toEqual(sb.employeeIds().slice(0, 100));
    expect((await list('?limit=100&offset=500')).json.data).toEqual([]);
  });

  it.each(['0', '101', 'abc', '-1'])('rejects limit=%s with the live message', async (limit) => {
    const r = await list(`?limit=${limit}`);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ success: false, error: { code: 0, message: 'The limit must be between 1 and 100.' } });
  });

  it('renders attributes with Personio quirks', async () => {
    const { data } = (await list('?limit=100')).json;
    const e = data[0];
    expect(Object.keys(e)).toEqual(['type', 'attributes']);
    expect(e.attributes.first_name).toEqual({ label: 'First name', value: expect.any(String), type: 'standard', universal_id: 'first_name' });
    expect(e.attributes.weekly_working_hours.value).toMatch(/^\d+(\.\d)?$/);
    expect(e.attributes.hire_date.value).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+01:00$/);
    expect(e.attributes.last_modified_at.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+01:00$/);
    expect(e.attributes.fix_salary).toMatchObject({ type: 'decimal', currency: 'EUR' });
    expect(e.attributes.dynamic_990102).toMatchObject({ label: 'Birthday', type: 'date', universal_id: 'date_of_birth' });
    expect(e.attributes.vacation_day_balance).toBeUndefined();
    const all = data.map((x: any) => x.attributes); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(all.some((a: any) => a.termination_type.value === '')).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(all.some((a: any) => a.termination_date.value === null)).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(all.some((a: any) => a.cost_centers.value.length === 0 || a.team.value === null)).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(all.find((a: any) => a.supervisor.value)?.supervisor.value.type).toBe('Employee'); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['department', 'office', 'subcompany', 'holiday_calendar', 'work_schedule']) {
      const v = all.find((a: any) => a[key].value)[key].value; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(v).toMatchObject({ type: expect.any(String), attributes: { id: expect.any(Number), name: expect.any(String) } });
    }
  });

  it('uses the account offset configured for the sandbox', async () => {
    const other = await startPersonioSandbox({ employees: 10, now: NOW, utcOffset: '-05:00' });
    const raw = other.employeeRaw(other.employeeIds()[0]) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(raw.attributes.hire_date.value).toMatch(/T00:00:00-05:00$/);
    await other.close();
  });

  it('filters by email (case-insensitive) and still answers a list', async () => {
    const target = (await list('?limit=100')).json.data.find((e: any) => attr(e, 'email')); // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await list(`?email=${encodeURIComponent(attr(target, 'email').toUpperCase())}`);
    expect(r.json.data.map((e: any) => attr(e, 'id'))).toEqual([attr(target, 'id')]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect((await list('?email=nobody@nowhere.example')).json).toMatchObject({ data: [], metadata: { total_elements: 0 } });
  });

  it('projects attributes[] (id always included)', async () => {
    const r = await list('?limit=3&attributes[]=first_name&attributes[]=dynamic_990106');
    expect(Object.keys(r.json.data[0].attributes)).toEqual(['id', 'first_name', 'dynamic_990106']);
  });

  it('selects by updated_since in every accepted format, paginated, and by attribute with attributes[]', async () => {
    const id = sb.employeeIds()[10];
    sb.advanceClock(3_600_000);
    const since = new Date(sb.now().getTime() - 1000);
    sb.change(id, { position: 'Chief Cartographer' });
    const hired = sb.hire({ first_name: 'Zoë' }).id;
    const iso = since.toISOString().slice(0, 19);
    const local = new Date(since.getTime() + 3_600_000).toISOString().slice(0, 19);
    for (const q of [`${iso}Z`, `${local}+01:00`, local]) {
      const r = await list(`?updated_since=${encodeURIComponent(q)}&limit=1`);
      expect(r.json.metadata).toEqual({ total_elements: 2, current_page: 0, total_pages: 2 });
      expect(attr(r.json.data[0], 'id')).toBe(id);
    }
    const byPosition = await list(`?updated_since=${local}&attributes[]=position`);
    expect(byPosition.json.data.map((e: any) => attr(e, 'id'))).toEqual([id, hired]); // eslint-disable-line @typescript-eslint/no-explicit-any
    const byEmail = await list(`?updated_since=${local}&attributes[]=email`);
    expect(byEmail.json.data.map((e: any) => attr(e, 'id'))).toEqual([hired]); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect((await list('?updated_since=2026-13-45')).status).toBe(400);
    const dateOnly = await list('?updated_since=2000-01-01&limit=100');
    expect(dateOnly.json.metadata.total_elements).toBe(sb.employeeIds().length);
  });
});

describe('old-behaviour switches', () => {
  it('legacyLimit200 allows limit up to 200; updatedSinceIgnoresPagination returns one page', async () => {
    const old = await startPersonioSandbox({ employees: 250, now: NOW, rateLimits: false, legacyLimit200: true, updatedSinceIgnoresPagination: true });
    const ot = await token(old);
    expect((await get(old, '/v1/company/employees?limit=200', ot)).json.data).toHaveLength(200);
    expect((await get(old, '/v1/company/employees?limit=201', ot)).json.error.message).toBe('The limit must be between 1 and 200.');
    const since = await get(old, '/v1/company/employees?updated_since=2000-01-01&limit=10&offset=30', ot);
    expect(since.json).toMatchObject({ offset: 0, limit: 250, metadata: { total_elements: 250, total_pages: 1 } });
    expect(since.json.data).toHaveLength(250);
    await old.close();
  });
});

describe('single employee, attributes, pictures', () => {
  it('serves one employee and the German 404', async () => {
    const id = sb.employeeIds()[3];
    const r = await get(sb, `/v1/company/employees/${id}`, t);
    expect(r.json.data).toEqual(sb.employeeRaw(id));
    const missing = await get(sb, '/v1/company/employees/1', t);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ success: false, error: { code: 404, message: 'Es ist ein Problem aufgetreten ' } });
  });

  it('lists allowed attributes with options on /attributes and its alias', async () => {
    const a = await get(sb, '/v1/company/employees/attributes', t);
    const alias = await get(sb, '/v1/company/employees/custom-attributes', t);
    expect(alias.json).toEqual(a.json);
    const tags = a.json.data.find((x: any) => x.key === 'dynamic_990106'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tags).toMatchObject({ label: 'Language skills', type: 'tags', universal_id: null, options: expect.arrayContaining(['Deutsch']) });
    const types = new Set(a.json.data.map((x: any) => x.type)); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(types).toEqual(new Set(['standard', 'date', 'integer', 'decimal', 'list', 'tags', 'multiline', 'link']));
  });

  it('serves PNG profile pictures with and without width, 404 otherwise', async () => {
    const withPic = sb.employeeIds().find((id) => (sb.employeeRaw(id) as any).attributes.profile_picture.value)!; // eslint-disable-line @typescript-eslint/no-explicit-any
    const url = (sb.employeeRaw(withPic) as any).attributes.profile_picture.value as string; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(url).toBe(`${sb.url}/v1/company/employees/${withPic}/profile-picture`);
    const res = await fetch(`${url}/64`, { headers: { authorization: `Bearer ${t}` } });
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(64);
    expect((await fetch(url, { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
    const without = sb.employeeIds().find((id) => !(sb.employeeRaw(id) as any).attributes.profile_picture.value)!; // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await get(sb, `/v1/company/employees/${without}/profile-picture`, t);
    expect(r.json).toEqual({ success: false, error: { code: 404, message: 'Etwas ist schiefgelaufen ...' } });
  });
});

describe('control mutations and the clock', () => {
  it('hire, change, terminate and remove show up in the API', async () => {
    const { id } = sb.hire({ first_name: 'Renée', last_name: 'Øberg', email: 'renee.oberg@nordlicht.example', department: 'Sales' });
    expect(sb.employeeIds().at(-1)).toBe(id);
    let e = (await get(sb, `/v1/company/employees/${id}`, t)).json.data;
    expect(attr(e, 'first_name')).toBe('Renée');
    expect(attr(e, 'department').attributes.name).toBe('Sales');
    sb.change(id, { last_name: 'Öberg', dynamic_990105: 'XL', team: null });
    sb.terminate(id, '2026-03-31');
    e = (await get(sb, `/v1/company/employees/${id}`, t)).json.data;
    expect([attr(e, 'last_name'), attr(e, 'dynamic_990105'), attr(e, 'team'), attr(e, 'status')]).toEqual(['Öberg', 'XL', null, 'active']);
    expect(attr(e, 'termination_date')).toBe('2026-03-31T00:00:00+01:00');
    expect(() => sb.change(id, { no_such_field: 1 })).toThrow(/unknown attribute/);
    sb.remove(id);
    expect((await get(sb, `/v1/company/employees/${id}`, t)).status).toBe(404);
  });

  it('moves statuses as the clock passes hire and termination dates, by default without touching last_modified_at', async () => {
    const onboarding = sb.employeeIds().find((id) => attr(sb.employeeRaw(id), 'status') === 'onboarding')!;
    const leaver = sb.hire().id;
    sb.terminate(leaver, '2026-04-01');
    const before = attr(sb.employeeRaw(leaver), 'last_modified_at');
    sb.advanceClock(5000);
    const sinceLocal = new Date(sb.now().getTime() + 3_600_000).toISOString().slice(0, 19); // the account is at +01:00
    sb.advanceClock(120 * 86_400_000);
    expect(attr(sb.employeeRaw(onboarding), 'status')).toBe('active');
    expect(attr(sb.employeeRaw(leaver), 'status')).toBe('inactive');
    expect(attr(sb.employeeRaw(leaver), 'last_modified_at')).toBe(before);
    // So a delta read (updated_since) does not return them.
    const delta = await get(sb, `/v1/company/employees?limit=100&updated_since=${sinceLocal}`, await token(sb));
    expect(delta.status).toBe(200);
    expect(delta.json.data.map((e: any) => e.attributes.id.value)).not.toContain(leaver); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('datesTouchLastModified: a date passing moves last_modified_at to that moment', async () => {
    const other = await startPersonioSandbox({ employees: 10, now: NOW, rateLimits: false, datesTouchLastModified: true });
    try {
      const leaver = other.hire().id;
      other.terminate(leaver, '2026-04-01');
      other.advanceClock(120 * 86_400_000);
      expect(attr(other.employeeRaw(leaver), 'status')).toBe('inactive');
      expect(attr(other.employeeRaw(leaver), 'last_modified_at')).toBe('2026-04-02T00:00:00+01:00');
    } finally {
      await other.close();
    }
  });
});
