// The Personio connector against the Personio sandbox over real HTTP: reads
// stay exact under page shifts and faults, tokens are reused, check() names
// what is missing, uploads map Personio's answers to typed errors.
import { ConnectorError, type ConnectorContext, type ConnectorLogger } from '../connector';
import type { UnifiedBatch } from '../unified';
import { createPersonioConnector } from './connector';
import { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES, startPersonioSandbox, type PersonioSandbox, type SandboxCredential } from './sandbox';
import type { PersonioCredentials } from './types';

const TIME_SCALE = 60; // the sandbox's minute lasts one real second; the client scales its waits alike
const connector = createPersonioConnector({ client: { timeScale: TIME_SCALE, retry: { maxAttempts: 8 } } });

let sb: PersonioSandbox;
let logLines: string[];

beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 230, seed: 7, timeScale: TIME_SCALE });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(() => {
  sb.resetFaults();
  logLines = [];
});

const logger: ConnectorLogger = {
  debug: (o, m) => logLines.push(JSON.stringify({ ...o, m })),
  info: (o, m) => logLines.push(JSON.stringify({ ...o, m })),
  warn: (o, m) => logLines.push(JSON.stringify({ ...o, m })),
  error: (o, m) => logLines.push(JSON.stringify({ ...o, m })),
};

/** A fresh credential per test keeps token caches and limiter budgets apart. */
function ctxFor(c: SandboxCredential = sb.addCredential(), extra: Partial<ConnectorContext<PersonioCredentials>> = {}): ConnectorContext<PersonioCredentials> {
  return {
    credentials: { clientId: c.clientId, clientSecret: c.clientSecret },
    baseUrl: sb.url,
    logger,
    signal: new AbortController().signal,
    now: () => sb.now(),
    settings: {},
    ...extra,
  };
}

async function readAll(ctx: ConnectorContext<PersonioCredentials>, since?: Date) {
  const batches: UnifiedBatch[] = [];
  for await (const b of connector.read(ctx, { since })) batches.push(b);
  const ids = batches.flatMap((b) => b.employees.map((e) => e.remote_id));
  return { batches, ids };
}

const expectedIds = () => sb.employeeIds().map(String).sort();
const authCalls = (clientId: string) => sb.requestLog().filter((r) => r.path === '/v1/auth' && r.clientId === clientId).length;
const unique = (ids: string[]) => expect(new Set(ids).size).toBe(ids.length);

describe('read', () => {
  it('returns every employee exactly once, page by page, with one auth for all pages', async () => {
    const c = sb.addCredential();
    const { batches, ids } = await readAll(ctxFor(c));
    unique(ids);
    expect([...ids].sort()).toEqual(expectedIds());
    expect(batches.length).toBe(3);
    expect(batches.every((b) => b.employees.length <= 100 && b.employments.length === b.employees.length)).toBe(true);
    expect(authCalls(c.clientId)).toBe(1);
    // A second read (another client instance, same credential) reuses the cached token.
    await readAll(ctxFor(c));
    expect(authCalls(c.clientId)).toBe(1);
  });

  it('emits each group, legal entity and location once per read, and every referenced one', async () => {
    const { batches } = await readAll(ctxFor());
    const groups = batches.flatMap((b) => b.groups.map((g) => g.remote_id));
    unique(groups);
    const referenced = new Set(batches.flatMap((b) => b.employees.flatMap((e) => e.group_remote_ids)));
    expect(new Set(groups)).toEqual(referenced);
    expect(groups.some((g) => g.startsWith('department:'))).toBe(true);
    unique(batches.flatMap((b) => b.legal_entities.map((l) => l.remote_id)));
    unique(batches.flatMap((b) => b.locations.map((l) => l.remote_id)));
  });

  it('stays exact when a record is inserted between pages', async () => {
    sb.setFaults({ shiftRecordsBetweenPages: 'insert' });
    const before = sb.employeeIds().length;
    const { ids } = await readAll(ctxFor());
    expect(sb.employeeIds().length).toBe(before + 1);
    expect(logLines.some((l) => l.includes('reading again'))).toBe(true);
    unique(ids);
    expect([...ids].sort()).toEqual(expectedIds());
  });

  it('misses no one when a record is deleted between pages (the deleted one may have been yielded already)', async () => {
    const before = new Set(sb.employeeIds().map(String));
    sb.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const { ids } = await readAll(ctxFor());
    const after = new Set(expectedIds());
    expect(after.size).toBe(before.size - 1);
    unique(ids);
    for (const id of after) expect(ids).toContain(id);
    for (const id of ids.filter((i) => !after.has(i))) expect(before.has(id)).toBe(true);
  });

  it('is exact (or fails with a typed transient error) under 5xx, resets and truncated JSON', async () => {
    sb.setFaults({ serverErrorRate: 0.2, resetRate: 0.1, truncatedJsonRate: 0.1 });
    let outcome = 'exact';
    try {
      const { ids } = await readAll(ctxFor());
      unique(ids);
      expect([...ids].sort()).toEqual(expectedIds());
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectorError);
      expect((e as ConnectorError).transient).toBe(true);
      outcome = 'typed error';
    }
    // The sandbox's faults are seeded, so this run is reproducible: it recovers.
    expect(outcome).toBe('exact');
    expect(logLines.some((l) => l.includes('retrying'))).toBe(true);
  });

  it('backs off through a burst of 429s', async () => {
    const rateLimited: number[] = [];
    sb.setFaults({ rateLimitBurst: 5 });
    const { ids } = await readAll(ctxFor(undefined, { stats: { rateLimited: (e) => rateLimited.push(e.delayMs) } }));
    expect([...ids].sort()).toEqual(expectedIds());
    expect(rateLimited.length).toBeGreaterThanOrEqual(5);
    // Personio sends no Retry-After and asks for >= 1 s (scaled with the sandbox clock).
    expect(Math.min(...rateLimited)).toBeGreaterThanOrEqual(1000 / TIME_SCALE);
  });

  it('re-authenticates once when the token is revoked mid-read', async () => {
    const c = sb.addCredential();
    sb.setFaults({ revokeTokensAfterRequests: 1 });
    const { ids } = await readAll(ctxFor(c));
    expect([...ids].sort()).toEqual(expectedIds());
    expect(authCalls(c.clientId)).toBe(2);
  });

  it('delta read with updated_since returns the changed employees', async () => {
    sb.advanceClock(3 * 24 * 3600_000);
    const since = sb.now();
    sb.advanceClock(60_000);
    const [a, b] = sb.employeeIds();
    sb.change(a, { position: 'Chief Learning Officer' });
    sb.terminate(b, '2020-01-31');
    const { ids, batches } = await readAll(ctxFor(), since);
    unique(ids);
    expect(ids).toEqual(expect.arrayContaining([String(a), String(b)]));
    expect(ids.length).toBeLessThan(sb.employeeIds().length / 2);
    const employees = batches.flatMap((x) => x.employees);
    expect(employees.find((e) => e.remote_id === String(a))?.job_title).toBe('Chief Learning Officer');
    expect(employees.find((e) => e.remote_id === String(b))).toMatchObject({ employment_status: 'INACTIVE', termination_date: '2020-01-31T00:00:00.000Z' });
  });

  it('stops with ABORTED when the signal fires', async () => {
    const ac = new AbortController();
    sb.setFaults({ latencyMs: 50 });
    const iterator = connector.read(ctxFor(undefined, { signal: ac.signal }))[Symbol.asyncIterator]();
    await iterator.next();
    ac.abort();
    await expect(iterator.next()).rejects.toMatchObject({ kind: 'ABORTED' });
  });

  it('never logs or throws secrets', async () => {
    const c = sb.addCredential();
    await readAll(ctxFor(c));
    const err = await readAll(ctxFor({ ...c, clientSecret: 'wrong-secret-value' })).catch((e) => e);
    expect(err).toMatchObject({ kind: 'AUTH_FAILED' });
    const everything = logLines.join('\n') + JSON.stringify(err) + String(err.stack);
    expect(everything).not.toContain(c.clientSecret);
    expect(everything).not.toContain('wrong-secret-value');
    expect(everything).not.toMatch(/papi-[A-Za-z0-9_-]{20,}/);
  });
});

describe('check', () => {
  it('passes with full access', async () => {
    await expect(connector.check(ctxFor())).resolves.toEqual({ ok: true, missing: [] });
  });

  it('names each missing attribute and the missing documents permission in plain words', async () => {
    const c = sb.addCredential();
    sb.setWhitelist(c.clientId, ['first_name', 'last_name', 'email', 'position', 'status', 'hire_date'], ['employees:read']);
    const r = await connector.check(ctxFor(c));
    expect(r.ok).toBe(false);
    const keys = r.missing.map((m) => m.key);
    expect(keys).toEqual(expect.arrayContaining(['last_modified_at', 'team', 'cost_centers', 'weekly_working_hours', 'documents:write', 'documents:read']));
    expect(keys).not.toContain('first_name');
    expect(r.missing.find((m) => m.key === 'last_modified_at')?.message).toMatch(/"Last modified"/);
  });

  it('reports bad credentials as AUTH', async () => {
    const r = await connector.check(ctxFor({ ...sb.defaultCredential, clientSecret: 'nope' }));
    expect(r).toMatchObject({ ok: false, error: { kind: 'AUTH' } });
  });

  it('reports an unreachable Personio as UNREACHABLE', async () => {
    const r = await connector.check({ ...ctxFor(), baseUrl: 'http://127.0.0.1:9' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'UNREACHABLE' } });
  });
});

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.4\n% certificate\n');

  it('lists categories and uploads a certificate', async () => {
    const ctx = ctxFor();
    const categories = await connector.documentCategories(ctx);
    expect(categories.length).toBeGreaterThan(0);
    const employeeId = String(sb.employeeIds()[0]);
    const res = await connector.uploadDocument(ctx, employeeId, {
      fileName: 'certificate.pdf',
      contentType: 'application/pdf',
      bytes: pdf,
      categoryRemoteId: categories[0].remote_id,
      title: 'Course: Fire safety',
      comment: 'Completed',
      date: new Date('2025-05-02T12:00:00Z'),
    });
    expect(res.remote_id).toMatch(/^\d+$/);
    const stored = sb.uploadedDocuments().find((d) => String(d.id) === res.remote_id)!;
    expect(stored).toMatchObject({
      employeeId: Number(employeeId),
      title: 'Course: Fire safety',
      comment: 'Completed',
      date: '2025-05-02',
      fileName: 'certificate.pdf',
    });
    expect(Buffer.compare(stored.bytes, pdf)).toBe(0);
  });

  it('maps unknown employee to NOT_FOUND and a refused file to UPSTREAM_INVALID_INPUT with Personio’s message', async () => {
    const ctx = ctxFor();
    const [category] = await connector.documentCategories(ctx);
    const doc = { fileName: 'c.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: category.remote_id, title: 'x' };
    await expect(connector.uploadDocument(ctx, '999999999', doc)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    const err = await connector.uploadDocument(ctx, String(sb.employeeIds()[0]), { ...doc, fileName: 'virus.exe' }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT', details: { status: 422 } });
    expect(err.message).toMatch(/file/i);
  });

  it('declares the upload rules the simulator enforces: its extension list, and a size limit just under 30 MiB that it accepts', async () => {
    expect(connector.uploadRules.extensions).toEqual(ALLOWED_EXTENSIONS);
    expect(connector.uploadRules.maxBytes).toBe(MAX_UPLOAD_BYTES - 1);
    const ctx = ctxFor();
    const [category] = await connector.documentCategories(ctx);
    const largest = Buffer.concat([pdf, Buffer.alloc(connector.uploadRules.maxBytes - pdf.length, 1)]);
    const res = await connector.uploadDocument(ctx, String(sb.employeeIds()[0]), {
      fileName: 'big.pdf',
      contentType: 'application/pdf',
      bytes: largest,
      categoryRemoteId: category.remote_id,
      title: 'Big',
    });
    expect(sb.uploadedDocuments().find((d) => String(d.id) === res.remote_id)!.bytes.length).toBe(largest.length);
  });

  it('reports a missing documents permission as PERMISSION_MISSING', async () => {
    const c = sb.addCredential();
    sb.setWhitelist(c.clientId, 'all', ['employees:read', 'documents:read']);
    const doc = { fileName: 'c.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: '1', title: 'x' };
    await expect(connector.uploadDocument(ctxFor(c), String(sb.employeeIds()[0]), doc)).rejects.toMatchObject({ kind: 'PERMISSION_MISSING' });
  });
});

describe('passthrough and attributes', () => {
  it('forwards a request below /v1 and hides the rotated token header', async () => {
    const r = await connector.passthrough(ctxFor(), { method: 'GET', path: '/company/employees', params: { limit: 2 } });
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${sb.url}/v1/company/employees?limit=2`);
    expect((r.data as { data: unknown[] }).data).toHaveLength(2);
    expect(Object.keys(r.headers)).not.toContain('authorization');
  });

  it('returns upstream errors as data and refuses absolute URLs', async () => {
    const r = await connector.passthrough(ctxFor(), { method: 'GET', path: '/v1/company/employees/999999999' });
    expect(r.status).toBe(404);
    await expect(connector.passthrough(ctxFor(), { method: 'GET', path: 'https://evil.example/x' })).rejects.toMatchObject({ kind: 'INVALID_REQUEST' });
  });

  it('normalises the path with the URL parser before checking it: encoded dot segments cannot reach /v1/auth', async () => {
    const c = sb.addCredential();
    const ctx = ctxFor(c);
    await connector.passthrough(ctx, { method: 'GET', path: '/company/employees', params: { limit: 1 } }); // token fetched once
    const before = authCalls(c.clientId);
    for (const path of [
      '/company/%2e%2e/auth',
      '/company/.%2E/auth',
      '/v1/company/%2e%2e/%2e%2e/v1/auth?x=1',
      '/%2E%2E/auth',
      '/company/..%2fauth',
      '/company\\..\\auth',
    ]) {
      await expect(connector.passthrough(ctx, { method: 'POST', path, body: { client_id: c.clientId } })).rejects.toMatchObject({ kind: 'INVALID_REQUEST' });
    }
    expect(authCalls(c.clientId)).toBe(before);
    // What is sent is the normalised path, the one that was checked.
    const r = await connector.passthrough(ctx, { method: 'GET', path: '/company/attendances/%2e%2e/employees?limit=1' });
    expect({ status: r.status, url: r.url }).toEqual({ status: 200, url: `${sb.url}/v1/company/employees?limit=1` });
  });

  it('does not send or retry a request that cannot be sent (invalid header name, GET with a body): the caller gets INVALID_REQUEST at once', async () => {
    const c = sb.addCredential();
    const sent = () => sb.requestLog().filter((r) => r.clientId === c.clientId && r.path !== '/v1/auth').length;
    await expect(connector.passthrough(ctxFor(c), { method: 'GET', path: '/company/employees', headers: { 'bad header': 'x' } })).rejects.toMatchObject({
      kind: 'INVALID_REQUEST',
      message: expect.stringContaining('ERR_INVALID_HTTP_TOKEN'),
    });
    await expect(connector.passthrough(ctxFor(c), { method: 'GET', path: '/company/employees', body: { filter: 'x' } })).rejects.toMatchObject({
      kind: 'INVALID_REQUEST',
      message: expect.stringContaining('GET request has no body'),
    });
    expect(sent()).toBe(0);
    expect(logLines.filter((l) => l.includes('retrying'))).toEqual([]);
  });

  it('lists the attributes the credential may read', async () => {
    const attrs = await connector.listAttributes(ctxFor());
    expect(attrs.find((a) => a.key === 'first_name')).toMatchObject({ label: expect.any(String), type: 'standard' });
    expect(attrs.some((a) => a.key.startsWith('dynamic_'))).toBe(true);
  });
});
