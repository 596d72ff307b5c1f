import { BambooTestSandbox, bamboo, startBambooHrForTest } from './index';

/** Throttling (NOTES §6: 429 + Retry-After since 2026-09-16, 503 before) and the fault knobs. */
describe('BambooHR sandbox: rate limit and faults', () => {
  let t: BambooTestSandbox;

  beforeEach(async () => {
    t = await startBambooHrForTest({ employees: 12, seed: 5, rateLimit: { requests: 3, windowMs: 60_000 } });
  });
  afterEach(() => t.close());

  it('throttles per key with 429 + Retry-After, and per the legacy switch with 503', async () => {
    for (let i = 0; i < 3; i++) expect((await bamboo(t, '/meta/fields')).status).toBe(200);
    const limited = await bamboo(t, '/meta/fields');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(limited.headers.get('x-bamboohr-error-message')).toBeTruthy();
    const other = t.sandbox.addApiKey();
    expect((await bamboo(t, '/meta/fields', { key: other.key })).status).toBe(200);
    t.sandbox.setSwitches({ throttling: 'legacy' });
    const legacy = await bamboo(t, '/meta/fields');
    expect(legacy.status).toBe(503);
    expect(legacy.headers.get('retry-after')).toBeNull();
    t.sandbox.advanceClock(60_001);
    expect((await bamboo(t, '/meta/fields')).status).toBe(200);
  });

  it('rateLimitScope company shares one window; failedAuthCountsTowardLimit throttles bad keys', async () => {
    t.sandbox.setSwitches({ rateLimitScope: 'company' });
    const other = t.sandbox.addApiKey();
    expect((await bamboo(t, '/meta/fields')).status).toBe(200);
    expect((await bamboo(t, '/meta/fields', { key: other.key })).status).toBe(200);
    expect((await bamboo(t, '/meta/fields')).status).toBe(200);
    expect((await bamboo(t, '/meta/fields', { key: other.key })).status).toBe(429);
    t.sandbox.setRateLimit({ requests: 2, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) expect((await bamboo(t, '/meta/fields', { key: 'wrong' })).status).toBe(401);
    t.sandbox.setSwitches({ failedAuthCountsTowardLimit: true });
    expect((await bamboo(t, '/meta/fields', { key: 'wrong' })).status).toBe(401);
    expect((await bamboo(t, '/meta/fields', { key: 'wrong' })).status).toBe(401);
    expect((await bamboo(t, '/meta/fields', { key: 'wrong' })).status).toBe(429);
  });

  it('rateLimitBurst, serverErrorRate, truncatedJsonRate, resetRate, revokeKeysAfterRequests', async () => {
    t.sandbox.setRateLimit(false);
    t.sandbox.setFaults({ rateLimitBurst: 2 });
    expect((await bamboo(t, '/meta/lists')).status).toBe(429);
    expect((await bamboo(t, '/meta/lists')).status).toBe(429);
    expect((await bamboo(t, '/meta/lists')).status).toBe(200);
    t.sandbox.setFaults({ serverErrorRate: 1 });
    expect([500, 502, 503]).toContain((await bamboo(t, '/meta/lists')).status);
    t.sandbox.setFaults({ serverErrorRate: 0, truncatedJsonRate: 1 });
    const cut = await bamboo(t, '/meta/lists');
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    t.sandbox.setFaults({ truncatedJsonRate: 0, resetRate: 1 });
    await expect(bamboo(t, '/meta/lists')).rejects.toThrow(/fetch failed|socket|ECONNRESET|other side closed/);
    t.sandbox.setFaults({ resetRate: 0, revokeKeysAfterRequests: 2 });
    expect((await bamboo(t, '/meta/lists')).status).toBe(200);
    expect((await bamboo(t, '/meta/lists')).status).toBe(200);
    expect((await bamboo(t, '/meta/lists')).status).toBe(401);
    t.sandbox.resetFaults();
    expect((await bamboo(t, '/meta/lists')).status).toBe(200);
  });

  it('shiftRecordsBetweenPages: delete makes the next page BadPage; insert adds someone the listing then sees', async () => {
    t.sandbox.setRateLimit(false);
    const first = await bamboo(t, '/employees?page[limit]=5');
    t.sandbox.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const next = await bamboo(t, `/employees?page[limit]=5&page[after]=${encodeURIComponent(first.json.meta.page.nextCursor)}`);
    expect(next.json.error.code).toBe('BadPage');
    expect(t.sandbox.employeeIds()).not.toContain(Number(first.json.data[4].employeeId));
    expect(t.sandbox.faults().shiftRecordsBetweenPages).toBeNull();
    const again = await bamboo(t, '/employees?page[limit]=5');
    t.sandbox.setFaults({ shiftRecordsBetweenPages: 'insert' });
    const before = t.sandbox.employeeIds().length;
    let cursor = again.json.meta.page.nextCursor as string | null;
    const ids = again.json.data.map((d: { employeeId: string }) => d.employeeId);
    while (cursor) {
      const p = await bamboo(t, `/employees?page[limit]=5&page[after]=${encodeURIComponent(cursor)}`);
      ids.push(...p.json.data.map((d: { employeeId: string }) => d.employeeId));
      cursor = p.json.meta.page.nextCursor;
    }
    expect(t.sandbox.employeeIds().length).toBe(before + 1);
    expect(ids).toEqual(t.sandbox.employeeIds().map(String));
  });
});

describe('BambooHR sandbox: control API, metadata and switches', () => {
  let t: BambooTestSandbox;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 8, seed: 9, company: 'globex' });
  });
  afterAll(() => t.close());

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.url}/_sandbox${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json() };
  };

  it('mutates people, tables, clock, keys and faults over HTTP', async () => {
    const hired = await control('POST', '/employees', { firstName: 'Zoë', lastName: 'Öztürk', hireDate: '2026-12-01', department: 'Finance' });
    expect(hired.status).toBe(201);
    const id = hired.json.id as number;
    expect((await control('GET', `/employees/${id}`)).json).toEqual(expect.objectContaining({ firstName: 'Zoë', department: '' }));
    expect((await control('GET', `/employees/${id}?onlyCurrent=false`)).json.department).toBe('Finance');
    expect((await control('PATCH', `/employees/${id}`, { workEmail: 'zoe@globex.example.com' })).status).toBe(200);
    expect((await control('PATCH', `/employees/${id}`, { department: 'Sales' })).json.error).toMatch(/table/);
    const row = await control('POST', `/employees/${id}/tables/employmentStatus`, {
      date: '2027-01-31',
      employmentStatus: 'Terminated',
      terminationTypeId: 'Death',
    });
    expect(row.status).toBe(201);
    expect((await control('GET', `/employees/${id}/tables/employmentStatus`)).json).toHaveLength(2);
    expect((await control('PATCH', `/employees/${id}/tables/employmentStatus/${row.json.rowId}`, { date: '2027-02-28' })).status).toBe(200);
    expect((await control('POST', '/clock/advance', { ms: 100 * 86_400_000 })).json.now).toMatch(/^2027-03/);
    const r = await bamboo(t, `/employees/${id}?fields=terminationDate,employmentHistoryStatus,workEmail`);
    expect(r.json).toEqual({ id: String(id), terminationDate: '2027-02-28', employmentHistoryStatus: 'Terminated', workEmail: 'zoe@globex.example.com' });
    const key = await control('POST', '/api-keys', { hiddenFields: ['workEmail'] });
    expect(Object.keys((await bamboo(t, `/employees/${id}?fields=workEmail`, { key: key.json.key })).json)).toEqual(['id']);
    expect((await control('PUT', '/faults', { rateLimitBurst: 1 })).json.rateLimitBurst).toBe(1);
    expect((await bamboo(t, '/meta/fields')).status).toBe(429);
    expect((await control('PUT', '/faults', { bogus: 1 })).status).toBe(400);
    expect((await control('DELETE', `/employees/${id}`)).status).toBe(200);
    expect((await control('GET', '/employees')).json.ids).not.toContain(id);
    expect((await control('GET', '/nope')).status).toBe(404);
  });

  it('serves the company on its own gateway path and the metadata endpoints', async () => {
    expect(t.company).toBe('globex');
    const fields = await bamboo(t, '/meta/fields', { base: t.gatewayBaseUrl });
    expect(fields.json).toEqual(
      expect.arrayContaining([{ id: 4388, name: 'Badge number', type: 'text' }, expect.objectContaining({ alias: 'customShirtSize' })]),
    );
    const lists = await bamboo(t, '/meta/lists?format=json', { accept: null });
    const dept = lists.json.find((l: { alias: string }) => l.alias === 'department');
    expect(dept.options).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Engineering', archived: 'no' }), expect.objectContaining({ archived: 'yes' })]),
    );
    const locs = await bamboo(t, '/hris/org/locations?expand=country');
    expect(locs.json.meta).toEqual({ page: 0, pageSize: 500, totalPages: 1, totalItems: 8 });
    const munich = locs.json.data.find((l: { label: string }) => l.label === 'Munich');
    expect(munich.address.country).toEqual({ id: expect.any(String), name: 'Germany', isoCode: 'DE' });
    expect(munich.id).toBe(
      String(lists.json.find((l: { alias: string }) => l.alias === 'location').options.find((o: { name: string }) => o.name === 'Munich').id),
    );
    expect(locs.json.data.find((l: { label: string }) => l.label === 'Remote').address.remoteLocation).toBe(true);
    const bad = await bamboo(t, '/hris/org/locations?pageSize=0');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    t.sandbox.setSwitches({ xmlByDefault: false });
    expect((await bamboo(t, '/meta/fields', { accept: null })).json).toBeDefined();
    t.sandbox.setSwitches({ xmlByDefault: true, errorHeaders: ['X-BambooHR-Error-Message'] });
    const missing = await bamboo(t, '/employees/999999');
    expect(missing.headers.get('x-bamboohr-error-messsage')).toBeNull();
    expect(missing.headers.get('x-bamboohr-error-message')).toBeTruthy();
    t.sandbox.setSwitches({ classicErrorBody: 'json' });
    const jsonErr = await bamboo(t, '/employees/999999');
    expect(jsonErr.json).toEqual({ error: { code: '404', message: 'Employee not found' } });
    t.sandbox.setSwitches({ classicErrorBody: 'empty', basicOnOauthOnlyEndpoints: false });
    expect((await bamboo(t, '/employees')).status).toBe(401);
    expect((await bamboo(t, '/employees/0')).status).toBe(200);
  });
});
