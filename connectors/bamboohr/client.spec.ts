// BambooClient and the connector's write paths against a tiny local server: what
// goes over the wire (Basic auth, Accept, gateway path), how statuses become
// ConnectorError kinds with BambooHR's header message, Retry-After, what is
// retried for uploads, that the key never shows up in errors; plus credential
// validation and training-type creation (the simulator has no POST /training/type).
import { useStubServer, type Seen, type StubAnswer } from '../http/stub-server.spec-env';
import { ConnectorError, type ConnectorContext, type ConnectorLogger } from '../connector';
import { resetSharedLimiters } from '../http/limiter';
import { BambooClient, formatSince, retryAfterMs, upstreamMessage } from './client';
import { createBamboohrConnector } from './connector';
import { bamboohrCredentials, normalizeCompanyDomain } from './credentials';
import { fileIdFromLocation } from './documents';
import type { BambooCredentials } from './types';

const KEY = 'k3y-0123456789abcdef0123456789abcdef';
let seen: Seen[];
let handler: (req: Seen) => StubAnswer;
let logs: string[];
const logger: ConnectorLogger = {
  debug: (o) => logs.push(JSON.stringify(o)),
  info: (o) => logs.push(JSON.stringify(o)),
  warn: (o, m) => logs.push(m + JSON.stringify(o)),
  error: (o) => logs.push(JSON.stringify(o)),
};
const stub = useStubServer((s) => {
  seen.push(s);
  return handler(s);
});
beforeEach(() => {
  seen = [];
  logs = [];
  resetSharedLimiters();
});

const client = () =>
  new BambooClient({ credentials: { companyDomain: 'acme', apiKey: KEY }, baseUrl: `${stub.origin}/`, logger, timeScale: 1000, retry: { maxAttempts: 3 } });
const ctx = (): ConnectorContext<BambooCredentials> => ({
  credentials: { companyDomain: 'acme', apiKey: KEY },
  baseUrl: stub.origin,
  logger,
  signal: new AbortController().signal,
  now: () => new Date('2026-11-30T10:00:00Z'),
  settings: {},
});

describe('BambooClient', () => {
  it('sends Basic auth (key as user, "x" as password) and Accept: application/json to the gateway path', async () => {
    handler = () => ({ status: 200, body: { ok: true } });
    expect(await client().get('/meta/fields', { since: '2026-01-01T00:00:00+01:00' }, 'meta')).toEqual({ ok: true });
    const [r] = seen;
    expect(r.url).toBe('/api/gateway.php/acme/v1/meta/fields?since=2026-01-01T00:00:00%2B01:00');
    expect(r.headers.accept).toBe('application/json');
    expect(Buffer.from(String(r.headers.authorization).replace(/^Basic /, ''), 'base64').toString()).toBe(`${KEY}:x`);
  });

  it.each([
    [401, 'AUTH_FAILED'],
    [403, 'PERMISSION_MISSING'],
    [404, 'NOT_FOUND'],
    [400, 'UPSTREAM_INVALID_INPUT'],
    [409, 'UPSTREAM_INVALID_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
  ])('status %i → %s, with X-BambooHR-Error-Message as the upstream message and no key anywhere', async (status, kind) => {
    handler = () => ({ status, headers: { 'X-BambooHR-Error-Message': `nope for ${KEY}` } });
    const err = (await client()
      .get('/employees/1', undefined, 'employees')
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.kind).toBe(kind);
    expect(err.details).toMatchObject({ status, endpoint: 'employees', upstreamMessage: 'nope for [redacted]' });
    expect(JSON.stringify(err) + err.message + logs.join()).not.toContain(KEY);
  });

  it('reads the legacy misspelled header and JSON error bodies', () => {
    expect(upstreamMessage({ headers: { 'x-bamboohr-error-messsage': 'old' }, data: null })).toBe('old');
    expect(upstreamMessage({ headers: {}, data: { error: { code: 'BadPage', message: 'cursor' } } })).toBe('cursor');
    expect(upstreamMessage({ headers: {}, data: { type: 'x', title: 'Unprocessable', detail: 'bad filter' } })).toBe('bad filter');
    expect(upstreamMessage({ headers: {}, data: { errors: [{ error: 'Invalid request body' }] } })).toBe('Invalid request body');
    expect(upstreamMessage({ headers: {}, data: null })).toBeNull();
  });

  it('waits the Retry-After of a 429, then succeeds; gives up RATE_LIMITED when it lasts', async () => {
    let n = 0;
    handler = () => (++n <= 2 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200, body: [] });
    const started = Date.now();
    expect(await client().get('/meta/lists', undefined, 'meta')).toEqual([]);
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3); // 2 s / timeScale 1000, twice
    handler = () => ({ status: 429, headers: { 'Retry-After': '1' } });
    await expect(client().get('/meta/lists', undefined, 'meta')).rejects.toMatchObject({ kind: 'RATE_LIMITED', details: { status: 429 } });
  });

  it('a Retry-After beyond the limit is not waited for', async () => {
    handler = () => ({ status: 429, headers: { 'Retry-After': '3600' } });
    await expect(client().get('/meta/lists', undefined, 'meta')).rejects.toMatchObject({ kind: 'RATE_LIMITED' });
    expect(seen).toHaveLength(1);
  });

  it('since: whole seconds in UTC, rounded down', () => {
    expect(formatSince(new Date('2026-11-30T10:00:59.999Z'))).toBe('2026-11-30T10:00:59Z');
  });

  it('Retry-After: seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect([retryAfterMs('soon', now), retryAfterMs(undefined, now)]).toEqual([null, null]);
  });

  it('retries GETs after 500 and broken JSON, but never re-sends an upload after a 500', async () => {
    let n = 0;
    handler = () => (++n === 1 ? { status: 500 } : n === 2 ? { status: 200, body: '{"trunc' } : { status: 200, body: { fine: 1 } });
    expect(await client().get('/meta/fields', undefined, 'meta')).toEqual({ fine: 1 });
    seen = [];
    handler = () => ({ status: 500 });
    const pdf = Buffer.from('%PDF-1.4 x');
    await expect(
      createBamboohrConnector({ client: { timeScale: 1000 } }).uploadDocument(ctx(), '7', {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        categoryRemoteId: '3',
        title: 'A',
      }),
    ).rejects.toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE' });
    expect(seen).toHaveLength(1);
  });

  it('uploads multipart (file, fileName, category, share) and takes the id from Location', async () => {
    handler = () => ({ status: 201, headers: { Location: `${stub.origin}/api/v1/employees/7/files/9001` } });
    const res = await createBamboohrConnector({ client: { timeScale: 1000 } }).uploadDocument({ ...ctx(), settings: { shareDocuments: 'yes' } }, '7', {
      fileName: 'c.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4 y'),
      categoryRemoteId: '31',
      title: 'Course certificate',
    });
    expect(res).toEqual({ remote_id: '9001' });
    const [r] = seen;
    expect(r.url).toBe('/api/gateway.php/acme/v1/employees/7/files');
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    for (const part of ['name="fileName"\r\n\r\nCourse certificate', 'name="category"\r\n\r\n31', 'name="share"\r\n\r\nyes', 'name="file"; filename="c.pdf"'])
      expect(r.body).toContain(part);
    expect([fileIdFromLocation('/x/files/12'), fileIdFromLocation('/x/files/12/'), fileIdFromLocation(undefined), fileIdFromLocation('/x/photo')]).toEqual([
      '12',
      '12',
      null,
      null,
    ]);
  });
});

describe('writeTraining (creating the type)', () => {
  it('creates a missing training type (the list is [] when empty), then posts the record with its id', async () => {
    let types: unknown = [];
    handler = (r) => {
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
      c.writeTraining!(ctx(), '7', { name: 'First Aid', completedOn: '2026-11-01', hours: 4, credits: 2, notes: ' passed ' }),
      c.writeTraining!(ctx(), '7', { name: 'first aid', completedOn: '2026-11-02' }),
    ]);
    expect([a, b]).toEqual([{ remote_id: '77' }, { remote_id: '77' }]);
    expect(seen.filter((s) => s.method === 'POST' && s.url.endsWith('/training/type')).map((s) => JSON.parse(s.body))).toEqual([{ name: 'First Aid' }]);
    const records = seen.filter((s) => s.url.endsWith('/training/record/employee/7')).map((s) => JSON.parse(s.body));
    expect(records).toContainEqual({ completed: '2026-11-01', type: 12, hours: 4, credits: 2, notes: 'passed' });
    expect(records).toContainEqual({ completed: '2026-11-02', type: 12 });
  });

  it('a training refused for lack of rights is PERMISSION_MISSING', async () => {
    handler = () => ({ status: 403, headers: { 'X-BambooHR-Error-Message': 'API access is not turned on' } });
    await expect(
      createBamboohrConnector({ client: { timeScale: 1000 } }).writeTraining!(ctx(), '7', { name: 'X', completedOn: '2026-11-01' }),
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
    for await (const b of createBamboohrConnector({ client: { timeScale: 1000 } }).read({ ...ctx(), settings }))
      out.push(...b.employees.map((e) => `${e.remote_id}:${e.first_name}`));
    return out;
  };

  it('takes a page of records from one custom report (exact JSON content type, ids as filter)', async () => {
    handler = serve((body, headers) => {
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
    expect(seen.filter((x) => /\/employees\/\d+\?/.test(x.url))).toHaveLength(0);
    expect(seen.find((x) => x.url.includes('/reports/custom'))?.url).toMatch(/format=JSON&onlyCurrent=false/);
  });

  it('falls back to one request per person when the report is refused, and with readStrategy=records', async () => {
    handler = serve(() => ({ status: 404 }));
    expect(await names()).toEqual(['1:P1', '2:P2']);
    expect(logs.some((l) => /custom report is not available/.test(l))).toBe(true);
    seen = [];
    expect(await names({ readStrategy: 'records' })).toEqual(['1:P1', '2:P2']);
    expect(seen.some((x) => x.url.includes('/reports/custom'))).toBe(false);
  });

  it('gives up UPSTREAM_UNAVAILABLE (transient) when the list keeps answering BadPage', async () => {
    handler = (r) => {
      const path = r.url.replace('/api/gateway.php/acme/v1', '');
      if (path.startsWith('/employees?') && (path.includes('page%5Bafter%5D') || path.includes('page[after]')))
        return { status: 400, body: { error: { code: 'BadPage', message: 'The page boundary changed' } } };
      if (path.startsWith('/employees?')) return { status: 200, body: { data: [{ employeeId: '1' }], meta: { page: { nextCursor: 'abc' } } } };
      if (path.startsWith('/employees/1?')) return { status: 200, body: { id: '1', firstName: 'A' } };
      if (path.startsWith('/meta') || path.includes('/tables/')) return { status: 200, body: [] };
      return { status: 404 };
    };
    const read = async () => {
      for await (const b of createBamboohrConnector({ client: { timeScale: 1000 }, maxPasses: 3 }).read(ctx())) void b;
    };
    const err = (await read().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE', details: { upstreamMessage: 'BadPage' } });
    expect(err.transient).toBe(true);
    expect(seen.filter((x) => x.url.includes('page%5Bafter%5D') || x.url.includes('page[after]'))).toHaveLength(3);
  });
});

describe('check', () => {
  it('names refused tables, files, training, webhooks and the change log as optional; hidden fields by their requirement key', async () => {
    handler = (r) => {
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
    const result = await createBamboohrConnector({ client: { timeScale: 1000 } }).check(ctx());
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
    expect(await createBamboohrConnector().webhooks!.available(ctx())).toEqual({
      ok: false,
      missing: expect.objectContaining({ key: 'webhooks', optional: true, message: expect.stringMatching(/within seconds/) }),
    });
  });

  it('an outage is UNREACHABLE, an unknown company domain says so', async () => {
    handler = () => ({ status: 404, headers: { 'X-BambooHR-Error-Message': 'Unknown company' } });
    expect(await createBamboohrConnector({ client: { timeScale: 1000 } }).check(ctx())).toMatchObject({
      ok: false,
      error: { kind: 'UNREACHABLE', message: expect.stringMatching(/company domain/) },
    });
    handler = () => ({ status: 502 });
    expect(await createBamboohrConnector({ client: { timeScale: 1000 } }).check(ctx())).toMatchObject({ ok: false, error: { kind: 'UNREACHABLE' } });
  });
});

describe('connect info', () => {
  const c = createBamboohrConnector();
  it('speaks English and German everywhere, and names each requirement once', () => {
    const texts = [
      c.connect.guide.title,
      c.connect.missingHint,
      ...c.connect.guide.steps.map((x) => x.text),
      ...c.connect.requirements.flatMap((r) => [r.label, r.why]),
    ];
    for (const t of texts) expect([typeof t.en, typeof t.de]).toEqual(['string', 'string']);
    const keys = c.connect.requirements.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(c.connect.guide.steps.some((x) => x.listRequirements)).toBe(true);
  });
  it('declares its settings, upload limits and coverage', () => {
    expect(c.settings.find((x) => x.key === 'baseUrl')).toMatchObject({ env: 'BAMBOOHR_BASE_URL', kind: 'url' });
    expect(c.uploadRules.maxBytes).toBe(20 * 1024 * 1024);
    expect(c.tool.coverage.write).toEqual({ employee_documents: true, trainings: true });
    expect(c.tool.coverage.read.legal_entities?.read).toBe(false);
    expect(c.tool.coverage.passthrough).toEqual(['bamboohr/v1']);
  });
});

describe('credentials', () => {
  it.each([
    ['acme', 'acme'],
    [' ACME.bamboohr.com ', 'acme'],
    ['https://acme.bamboohr.com/home/', 'acme'],
    ['acme.bamboohr.com/employees', 'acme'],
    ['https://api.bamboohr.com/api/gateway.php/acme-gmbh/v1/', 'acme-gmbh'],
  ])('company domain %j → %j', (input, out) => {
    expect(normalizeCompanyDomain(input)).toBe(out);
  });

  it.each(['', 'api.bamboohr.com', 'https://example.com/x/y', 'acme corp', '-acme', 'https://www.bamboohr.com', 'a_b'])('%j is no company domain', (input) => {
    expect(normalizeCompanyDomain(input)).toBeNull();
  });

  it('validate trims, normalises and names each bad field', () => {
    expect(bamboohrCredentials.validate({ companyDomain: 'acme.bamboohr.com', apiKey: ` ${KEY} ` })).toEqual({
      ok: true,
      value: { companyDomain: 'acme', apiKey: KEY },
    });
    const bad = bamboohrCredentials.validate({ companyDomain: 'not a domain', apiKey: 'has space inside' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.field)).toEqual(['companyDomain', 'apiKey']);
    const empty = bamboohrCredentials.validate(null);
    expect(!empty.ok && empty.errors.map((e) => e.field)).toEqual(['companyDomain', 'apiKey']);
    expect(bamboohrCredentials.fields.map((f) => [f.key, f.secret])).toEqual([
      ['companyDomain', false],
      ['apiKey', true],
    ]);
  });
});
