// The connector's HTTP paths against a tiny local server: training-type creation (the
// simulator has no POST /training/type), the full read's report and fallbacks, and check.
import type { Seen } from '../http/stub-server.spec-env';
import type { ConnectorError } from '../connector';
import { KEY, useBambooStub } from './client.spec-env';
import { createBamboohrConnector } from './connector';

const t = useBambooStub();

describe('writeTraining (creating the type)', () => {
  it('creates a missing training type (the list is [] when empty), then posts the record with its id', async () => {
    let types: unknown = [];
    t.handler = (r) => {
      if (r.method === 'GET' && r.url.endsWith('/training/type')) return { status: 200, body: types };
      if (r.method === 'POST' && r.url.endsWith('/training/type')) {
        types = { '12': { id: 12, name: 'First Aid' } };
        return { status: 201, body: { id: 12, name: JSON.parse(r.body).name } };
      }
      if (r.method === 'POST' && r.url.endsWith('/training/record/employee/7')) return { status: 201, body: { id: 77, ...JSON.parse(r.body) } };
      return { status: 404 };
    };
    const c = createBamboohrConnector({ client: { timeScale: 1000 } });
    // Two completions at once create the type once.
    const [a, b] = await Promise.all([
      c.writeTraining!(t.ctx(), '7', { name: 'First Aid', completedOn: '2026-11-01', hours: 4, credits: 2, notes: ' passed ' }),
      c.writeTraining!(t.ctx(), '7', { name: 'first aid', completedOn: '2026-11-02' }),
    ]);
    expect([a, b]).toEqual([{ remote_id: '77' }, { remote_id: '77' }]);
    expect(t.seen.filter((s) => s.method === 'POST' && s.url.endsWith('/training/type')).map((s) => JSON.parse(s.body))).toEqual([{ name: 'First Aid' }]);
    const records = t.seen.filter((s) => s.url.endsWith('/training/record/employee/7')).map((s) => JSON.parse(s.body));
    expect(records).toContainEqual({ completed: '2026-11-01', type: 12, hours: 4, credits: 2, notes: 'passed' });
    expect(records).toContainEqual({ completed: '2026-11-02', type: 12 });
  });

  it('a training refused for lack of rights is PERMISSION_MISSING', async () => {
    t.handler = () => ({ status: 403, headers: { 'X-BambooHR-Error-Message': 'API access is not turned on' } });
    await expect(
      createBamboohrConnector({ client: { timeScale: 1000 } }).writeTraining!(t.ctx(), '7', { name: 'X', completedOn: '2026-11-01' }),
    ).rejects.toMatchObject({ kind: 'PERMISSION_MISSING', details: { upstreamMessage: 'API access is not turned on' } });
  });
});

describe('full read', () => {
  const serve = (report: (body: string, headers: Seen['headers']) => { status: number; body?: unknown }) => (r: Seen) => {
    const path = r.url.replace('/api/gateway.php/acme/v1', '');
    if (path.startsWith('/employees?'))
      return { status: 200, body: { data: [{ employeeId: '1' }, { employeeId: '2' }], meta: { page: { nextCursor: null } } } };
    if (path.startsWith('/reports/custom')) return report(r.body, r.headers);
    const m = /^\/employees\/(\d+)\?/.exec(path);
    if (m) return { status: 200, body: { id: m[1], firstName: `P${m[1]}` } };
    if (path.startsWith('/meta') || path.includes('/tables/')) return { status: 200, body: [] };
    return { status: 404 };
  };
  const names = async (settings: Record<string, string> = {}) => {
    const out: string[] = [];
    for await (const b of createBamboohrConnector({ client: { timeScale: 1000 } }).read({ ...t.ctx(), settings }))
      out.push(...b.employees.map((e) => `${e.remote_id}:${e.first_name}`));
    return out;
  };

  it('takes a page of records from one custom report (exact JSON content type, ids as filter)', async () => {
    t.handler = serve((body, headers) => {
      expect(headers['content-type']).toBe('application/json');
      expect(JSON.parse(body)).toMatchObject({ filters: { employeeIds: [1, 2] }, fields: expect.arrayContaining(['firstName']) });
      return {
        status: 200,
        body: {
          fields: [],
          employees: [
            { id: '1', firstName: 'R1' },
            { id: '2', firstName: 'R2' },
          ],
        },
      };
    });
    expect(await names()).toEqual(['1:R1', '2:R2']);
    expect(t.seen.filter((x) => /\/employees\/\d+\?/.test(x.url))).toHaveLength(0);
    expect(t.seen.find((x) => x.url.includes('/reports/custom'))?.url).toMatch(/format=JSON&onlyCurrent=false/);
  });

  it('falls back to one request per person when the report is refused, and with readStrategy=records', async () => {
    t.handler = serve(() => ({ status: 404 }));
    expect(await names()).toEqual(['1:P1', '2:P2']);
    expect(t.logs.some((l) => /custom report is not available/.test(l))).toBe(true);
    t.seen = [];
    expect(await names({ readStrategy: 'records' })).toEqual(['1:P1', '2:P2']);
    expect(t.seen.some((x) => x.url.includes('/reports/custom'))).toBe(false);
  });

  it('gives up UPSTREAM_UNAVAILABLE (transient) when the list keeps answering BadPage', async () => {
    t.handler = (r) => {
      const path = r.url.replace('/api/gateway.php/acme/v1', '');
      if (path.startsWith('/employees?') && (path.includes('page%5Bafter%5D') || path.includes('page[after]')))
        return { status: 400, body: { error: { code: 'BadPage', message: 'The page boundary changed' } } };
      if (path.startsWith('/employees?')) return { status: 200, body: { data: [{ employeeId: '1' }], meta: { page: { nextCursor: 'abc' } } } };
      if (path.startsWith('/employees/1?')) return { status: 200, body: { id: '1', firstName: 'A' } };
      if (path.startsWith('/meta') || path.includes('/tables/')) return { status: 200, body: [] };
      return { status: 404 };
    };
    const read = async () => {
      for await (const b of createBamboohrConnector({ client: { timeScale: 1000 }, maxPasses: 3 }).read(t.ctx())) void b;
    };
    const err = (await read().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE', details: { upstreamMessage: 'BadPage' } });
    expect(err.transient).toBe(true);
    expect(t.seen.filter((x) => x.url.includes('page%5Bafter%5D') || x.url.includes('page[after]'))).toHaveLength(3);
  });
});

describe('passthrough', () => {
  it("sends the caller's own headers but not its Proxy-Authorization or hop-by-hop ones; the credential is the integration's", async () => {
    t.handler = () => ({ status: 200, body: [] });
    const headers = {
      'Proxy-Authorization': 'Basic cHJveHk6c2VjcmV0',
      Authorization: 'Bearer caller',
      Upgrade: 'websocket',
      TE: 'trailers',
      'X-Request-Id': 'r1',
    };
    const r = await createBamboohrConnector({ client: { timeScale: 1000 } }).passthrough(t.ctx(), { method: 'GET', path: '/meta/lists', headers });
    expect(r.status).toBe(200);
    const sent = t.seen.at(-1)!.headers;
    expect(sent['x-request-id']).toBe('r1');
    for (const name of ['proxy-authorization', 'upgrade', 'te']) expect(sent).not.toHaveProperty(name);
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${KEY}:x`).toString('base64')}`);
  });
});

describe('check', () => {
  it('names refused tables, files, training, webhooks and the change log as optional; hidden fields by their requirement key', async () => {
    t.handler = (r) => {
      const path = r.url.replace('/api/gateway.php/acme/v1', '').split('?')[0];
      if (path === '/employees') return { status: 200, body: { data: [{ employeeId: '7', reportsToId: null, _restrictedFields: ['reportsToId'] }] } };
      if (path === '/employees/7')
        return {
          status: 200,
          body: {
            id: '7',
            firstName: 'A',
            lastName: 'B',
            workEmail: '',
            status: 'Active',
            hireDate: '2020-01-01',
            terminationDate: '0000-00-00',
            jobTitle: 'X',
            department: 'D',
            location: 'L',
            division: '',
            employeeNumber: '1',
            gender: '',
            dateOfBirth: '',
          },
        };
      if (path === '/employees/7/tables/jobInfo') return { status: 200, body: [] };
      if (path.startsWith('/employees/7/tables/')) return { status: 403 };
      if (path === '/employees/7/files/view') return { status: 200, body: { categories: [{ id: 1, name: 'Contracts', canUploadFiles: 'no' }] } };
      return { status: 403, headers: { 'X-BambooHR-Error-Message': 'API access is not turned on' } };
    };
    const result = await createBamboohrConnector({ client: { timeScale: 1000 } }).check(t.ctx());
    // Only employmentHistoryStatus is absent among required fields.
    expect(result.ok).toBe(false);
    expect(result.missing.map((m) => [m.kind, m.key, m.optional ?? false])).toEqual([
      ['attribute', 'employmentHistoryStatus', false],
      ['attribute', 'reportsTo', true],
      ['permission', 'table:employmentStatus', true],
      ['permission', 'table:compensation', true],
      ['permission', 'changes', true],
      ['permission', 'files', true],
      ['permission', 'training', true],
      ['permission', 'webhooks', true],
    ]);
    expect(result.missing[0].message).toMatch(/Employment Status.*Access Levels/);
    // The subscription asks the same question: refused, the integration polls and says why.
    expect(await createBamboohrConnector().webhooks!.available(t.ctx())).toEqual({
      ok: false,
      missing: expect.objectContaining({ key: 'webhooks', optional: true, message: expect.stringMatching(/within seconds/) }),
    });
  });

  it('an outage is UNREACHABLE, an unknown company domain says so', async () => {
    t.handler = () => ({ status: 404, headers: { 'X-BambooHR-Error-Message': 'Unknown company' } });
    expect(await createBamboohrConnector({ client: { timeScale: 1000 } }).check(t.ctx())).toMatchObject({
      ok: false,
      error: { kind: 'UNREACHABLE', message: expect.stringMatching(/company domain/) },
    });
    t.handler = () => ({ status: 502 });
    expect(await createBamboohrConnector({ client: { timeScale: 1000 } }).check(t.ctx())).toMatchObject({ ok: false, error: { kind: 'UNREACHABLE' } });
  });
});
