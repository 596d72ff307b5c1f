// The BambooHR connector against the BambooHR simulator over real HTTP: full and
// delta reads (inserts, updates, deletions), check() naming restricted fields,
// uploads, training records, and throttling (429 + Retry-After, legacy 503).
import { ConnectorError, type ConnectorContext, type ConnectorLogger } from '../connector';
import type { UnifiedBatch } from '../unified';
import { createBamboohrConnector } from './connector';
import { startBambooHrForTest, type BambooTestSandbox } from './sandbox/testing';
import type { BambooCredentials } from './types';

const connector = createBamboohrConnector({ client: { timeScale: 1000, retry: { maxAttempts: 6 } }, pageSize: 7 });

let sb: BambooTestSandbox;
let warnings: string[];
const logger: ConnectorLogger = { debug() {}, info() {}, warn: (_o, m) => warnings.push(m), error: (_o, m) => warnings.push(m) };

beforeAll(async () => {
  sb = await startBambooHrForTest({ employees: 20 });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(() => {
  sb.sandbox.resetFaults();
  warnings = [];
});

function ctxFor(apiKey = sb.apiKey, extra: Partial<ConnectorContext<BambooCredentials>> = {}): ConnectorContext<BambooCredentials> {
  return { credentials: { companyDomain: sb.company, apiKey }, baseUrl: sb.url, logger, signal: new AbortController().signal, now: () => sb.sandbox.now(), settings: {}, ...extra };
}

async function readAll(ctx: ConnectorContext<BambooCredentials>, since?: Date, vanished: Array<{ employees: string[] }> = []) {
  const batches: UnifiedBatch[] = [];
  for await (const b of connector.read(ctx, { since, onVanished: (v) => vanished.push(v) })) batches.push(b);
  return { batches, employees: batches.flatMap((b) => b.employees), employments: batches.flatMap((b) => b.employments) };
}

const sorted = (ids: Array<string | number>) => ids.map(String).sort();

describe('read', () => {
  it('full read: every employee once, in pages, with employments, groups and locations', async () => {
    const { batches, employees, employments } = await readAll(ctxFor());
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(sb.sandbox.employeeIds()));
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
    sb.sandbox.clearRequestLog();
    const viaReport = await readAll(ctxFor());
    const log = sb.sandbox.requestLog();
    expect(log.filter((r) => r.path.endsWith('/reports/custom')).length).toBe(Math.ceil(sb.sandbox.employeeIds().length / 7));
    expect(log.filter((r) => /\/employees\/\d+$/.test(r.path))).toHaveLength(0);
    const perPerson = await readAll(ctxFor(sb.apiKey, { settings: { readStrategy: 'records' } }));
    // Report values are all strings (photoUploaded "true") and name empty fields get-employee leaves out
    // (a sub-field "4020.1" as ""), so raw fields differ; the unified values do not.
    const set = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
    const unified = (es: typeof viaReport.employees) =>
      es.map(({ remote_fields: _f, remote_data: _d, custom_fields, ...rest }) => (void _f, void _d, { ...rest, custom_fields: set(custom_fields) })).sort((a, b) => a.remote_id.localeCompare(b.remote_id));
    expect(unified(viaReport.employees)).toEqual(unified(perPerson.employees));
    expect(viaReport.employments.map((e) => e.remote_id).sort()).toEqual(perPerson.employments.map((e) => e.remote_id).sort());
  });

  it('maps an employee as the simulator holds it (names, dates, status from dates)', async () => {
    const id = sb.sandbox.employeeIds()[0];
    const held = sb.sandbox.employee(id);
    const { employees } = await readAll(ctxFor());
    const e = employees.find((x) => x.remote_id === String(id))!;
    expect(e.first_name).toBe(held.firstName);
    expect(e.last_name).toBe(held.lastName);
    expect(e.start_date?.slice(0, 10)).toBe(held.hireDate);
    expect(e.work_email).toBe(String(held.workEmail).replace(/@(.*)$/, (_m, d: string) => `@${d.toLowerCase()}`));
    expect(e.remote_fields.firstName).toBe(held.firstName);
  });

  it('a terminated employee is INACTIVE after the termination date, a future hire PENDING', async () => {
    const [a] = sb.sandbox.employeeIds();
    const day = (offsetDays: number) => new Date(sb.sandbox.now().getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    sb.sandbox.terminate(a, day(-2), { inactive: true });
    const { id: hired } = sb.sandbox.hire({ firstName: 'Future', lastName: 'Hire', hireDate: day(20) });
    const { employees } = await readAll(ctxFor());
    expect(employees.find((e) => e.remote_id === String(a))).toMatchObject({ employment_status: 'INACTIVE', termination_date: `${day(-2)}T00:00:00.000Z` });
    expect(employees.find((e) => e.remote_id === String(hired))).toMatchObject({ employment_status: 'PENDING', first_name: 'Future' });
  });

  it('delta read: inserted and updated people come back, deleted ones are reported vanished', async () => {
    // `since` goes out in whole seconds (rounded down): earlier tests' changes must lie further back.
    sb.sandbox.advanceClock(5000);
    const since = sb.sandbox.now();
    sb.sandbox.advanceClock(60_000);
    const ids = sb.sandbox.employeeIds();
    const { id: hired } = sb.sandbox.hire({ firstName: 'Nova', lastName: 'Delta' });
    sb.sandbox.update(ids[1], { firstName: 'Renamed' });
    sb.sandbox.remove(ids[2]);
    sb.sandbox.advanceClock(60_000);
    const vanished: Array<{ employees: string[] }> = [];
    const { employees } = await readAll(ctxFor(), since, vanished);
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted([hired, ids[1]]));
    expect(employees.find((e) => e.remote_id === String(ids[1]))?.first_name).toBe('Renamed');
    expect(vanished.flatMap((v) => v.employees)).toEqual([String(ids[2])]);
  });

  it('a large delta reads tables from the changed-tables feed and maps the same employments as a full read', async () => {
    const bulk = createBamboohrConnector({ client: { timeScale: 1000 }, pageSize: 7, perPersonTablesMax: 1 });
    // `since` goes out in whole seconds (rounded down): earlier tests' changes must lie further back.
    sb.sandbox.advanceClock(5000);
    const since = sb.sandbox.now();
    sb.sandbox.advanceClock(60_000);
    const ids = sb.sandbox.employeeIds().slice(0, 4);
    for (const id of ids) sb.sandbox.update(id, { preferredName: `P${id}` });
    sb.sandbox.advanceClock(60_000);
    const delta: UnifiedBatch[] = [];
    for await (const b of bulk.read(ctxFor(), { since })) delta.push(b);
    const { employments: full } = await readAll(ctxFor());
    const deltaEmployments = delta.flatMap((b) => b.employments);
    expect(sorted(delta.flatMap((b) => b.employees.map((e) => e.remote_id)))).toEqual(sorted(ids));
    expect(deltaEmployments.length).toBeGreaterThan(0);
    const fullOf = full.filter((e) => ids.map(String).includes(e.employee_remote_id));
    expect(deltaEmployments.map((e) => [e.remote_id, e.pay_rate, e.job_title]).sort()).toEqual(fullOf.map((e) => [e.remote_id, e.pay_rate, e.job_title]).sort());
    expect(sb.sandbox.requestLog().some((r) => r.path.includes('/employees/changed/tables/'))).toBe(true);
  });

  it('a full read reports people deleted while it ran as vanished', async () => {
    const victim = sb.sandbox.employeeIds()[0];
    const vanished: Array<{ employees: string[] }> = [];
    const batches: UnifiedBatch[] = [];
    for await (const b of connector.read(ctxFor(), { onVanished: (v) => vanished.push(v) })) {
      batches.push(b);
      if (batches.length === 1) {
        sb.sandbox.advanceClock(1000);
        sb.sandbox.remove(victim);
      }
    }
    expect(batches.flatMap((b) => b.employees.map((e) => e.remote_id))).toContain(String(victim));
    expect(vanished.flatMap((v) => v.employees)).toEqual([String(victim)]);
  });

  it('restarts the list when BambooHR rejects the cursor (BadPage) and still yields everyone exactly once', async () => {
    sb.sandbox.setFaults({ shiftRecordsBetweenPages: 'delete' });
    const { employees } = await readAll(ctxFor());
    sb.sandbox.resetFaults();
    const ids = employees.map((e) => e.remote_id);
    expect(new Set(ids).size).toBe(ids.length);
    // Everyone still there was read; the one deleted between pages may have been read before it went.
    for (const id of sb.sandbox.employeeIds()) expect(ids).toContain(String(id));
    expect(sb.sandbox.requestLog().some((r) => r.status === 400)).toBe(true);
    expect(warnings.some((w) => /reading it again/.test(w))).toBe(true);
  });

  it('a key the cursor list refuses (OAuth-only) still reads everyone, by ids from the change log', async () => {
    sb.sandbox.setSwitches({ basicOnOauthOnlyEndpoints: false });
    try {
      const { employees } = await readAll(ctxFor());
      expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(sb.sandbox.employeeIds()));
      expect(employees.every((e) => e.manager_remote_id === null)).toBe(true);
      expect(warnings.some((w) => /changed-since/.test(w))).toBe(true);
      const check = await connector.check(ctxFor());
      expect(check).toMatchObject({ ok: true, missing: [{ key: 'reportsTo', optional: true }] });
      expect((await connector.readPeople!(ctxFor(), [String(employees[0].remote_id)])).batch.employees).toHaveLength(1);
      expect((await connector.documentCategories(ctxFor())).length).toBeGreaterThan(0);
    } finally {
      sb.sandbox.setSwitches({ basicOnOauthOnlyEndpoints: true });
    }
  });

  it('the tool settings reach the mapping: status vocabularies and the division group type', async () => {
    const [id] = sb.sandbox.employeeIds();
    const day = new Date(sb.sandbox.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    sb.sandbox.addTableRow(id, 'employmentStatus', { date: day, employmentStatus: 'Sabbatical' });
    const settings = { leaveStatuses: 'Sabbatical', divisionGroupType: 'DEPARTMENT' };
    const r = await connector.readPeople!(ctxFor(sb.apiKey, { settings }), [String(id)]);
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
    const [a, b, c] = sb.sandbox.employeeIds();
    const key = sb.sandbox.addApiKey({ visibleEmployeeIds: [a, b] });
    const { employees } = await readAll(ctxFor(key.key));
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted([a, b]));
    const r = await connector.readPeople!(ctxFor(key.key), [String(a), String(c)]);
    expect(r.batch.employees.map((e) => e.remote_id)).toEqual([String(a)]);
    expect(r.gone.employees).toEqual([]);
    expect(warnings.some((w) => /may not see some employees/.test(w))).toBe(true);
  });

  it('readPeople re-reads the given people; unknown ids are gone', async () => {
    const [a, b] = sb.sandbox.employeeIds();
    const r = await connector.readPeople!(ctxFor(), [String(a), String(b), '999999']);
    expect(sorted(r.batch.employees.map((e) => e.remote_id))).toEqual(sorted([a, b]));
    expect(r.gone.employees).toEqual(['999999']);
  });
});

describe('throttling and errors', () => {
  it('waits out 429 + Retry-After and still reads everything', async () => {
    sb.sandbox.setFaults({ rateLimitBurst: 3 });
    const { employees } = await readAll(ctxFor());
    expect(employees.length).toBe(sb.sandbox.employeeIds().length);
    expect(sb.sandbox.requestLog().some((r) => r.status === 429)).toBe(true);
    expect(warnings.some((w) => /throttled/.test(w))).toBe(true);
  });

  it('legacy throttling (503 without Retry-After) is retried too', async () => {
    sb.sandbox.setSwitches({ throttling: 'legacy' });
    try {
      sb.sandbox.setFaults({ rateLimitBurst: 2 });
      const cats = await connector.documentCategories(ctxFor());
      expect(cats.length).toBeGreaterThan(0);
      expect(sb.sandbox.requestLog().some((r) => r.status === 503)).toBe(true);
    } finally {
      sb.sandbox.setSwitches({ throttling: 'current' });
    }
  });

  it('a wrong key is AUTH_FAILED, never echoing the key', async () => {
    const bad = 'wrong-key-1234567890abcdef';
    const err = await (async () => {
      for await (const b of connector.read(ctxFor(bad))) void b;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'AUTH_FAILED' });
    expect(JSON.stringify(err)).not.toContain(bad);
    expect(await connector.check(ctxFor(bad))).toMatchObject({ ok: false, error: { kind: 'AUTH' } });
  });

  it('survives server errors, resets and truncated JSON on reads', async () => {
    sb.sandbox.setFaults({ serverErrorRate: 0.1, resetRate: 0.05, truncatedJsonRate: 0.05 });
    const { employees } = await readAll(ctxFor());
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(sb.sandbox.employeeIds()));
  });
});

describe('check', () => {
  it('passes for a key that sees everything', async () => {
    expect(await connector.check(ctxFor())).toEqual({ ok: true, missing: [] });
  });

  it('names restricted fields: required ones fail the check, optional ones only warn', async () => {
    const key = sb.sandbox.addApiKey({ hiddenFields: ['terminationDate', 'gender', 'supervisor'] });
    const result = await connector.check(ctxFor(key.key));
    expect(result.ok).toBe(false);
    expect(result.missing.map((m) => [m.key, m.optional ?? false])).toEqual([['terminationDate', false], ['reportsTo', true], ['gender', true]]);
    expect(result.missing[0].message).toMatch(/Termination Date/);
  });

  it('optional gaps alone keep the check ok', async () => {
    const key = sb.sandbox.addApiKey({ hiddenFields: ['gender'] });
    expect(await connector.check(ctxFor(key.key))).toMatchObject({ ok: true, missing: [{ key: 'gender', optional: true }] });
  });
});

describe('documents and trainings', () => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');

  it('lists file categories and uploads into one (multipart), returning the file id from Location', async () => {
    const cats = await connector.documentCategories(ctxFor());
    const known = new Map(sb.sandbox.fileCategories().map((c) => [String(c.id), c.name]));
    expect(cats.length).toBeGreaterThan(0);
    for (const c of cats) expect(known.get(c.remote_id)).toBe(c.name);
    const target = sb.sandbox.fileCategories().find((c) => c.canUploadFiles && cats.some((x) => x.remote_id === String(c.id)))!;
    const employee = String(sb.sandbox.employeeIds()[3]);
    const res = await connector.uploadDocument(ctxFor(), employee, { fileName: 'cert.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: String(target.id), title: 'GDPR basics – certificate.pdf' });
    const stored = sb.sandbox.files().find((f) => String(f.id) === res.remote_id)!;
    expect(stored).toMatchObject({ employeeId: Number(employee), categoryId: target.id, name: 'GDPR basics – certificate.pdf', share: false });
    expect(stored.bytes.equals(pdf)).toBe(true);
  });

  it('every extension the gateway lets through is one the simulator accepts', () => {
    const accepted = sb.sandbox.switches().allowedExtensions;
    for (const ext of connector.uploadRules.extensions) expect(accepted).toContain(ext);
  });

  it('refuses uploads into a category the key may not upload to (PERMISSION_MISSING) and to unknown people (NOT_FOUND)', async () => {
    const locked = sb.sandbox.addFileCategory('Payroll (locked)', false);
    const employee = String(sb.sandbox.employeeIds()[3]);
    await expect(connector.uploadDocument(ctxFor(), employee, { fileName: 'a.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: String(locked.id), title: 'a.pdf' })).rejects.toMatchObject({ kind: 'PERMISSION_MISSING' });
    await expect(connector.uploadDocument(ctxFor(), '999999', { fileName: 'a.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: String(locked.id), title: 'a.pdf' })).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('writeTraining finds the training type by name, records the completion and files the certificate', async () => {
    const employee = sb.sandbox.employeeIds()[4];
    // The simulator has no POST /training/type yet; creating a type is covered in client.spec.ts.
    sb.sandbox.addTrainingType({ name: 'Fire Safety 2026' });
    const before = sb.sandbox.trainingTypes().length;
    const training = { name: 'Fire Safety 2026', completedOn: '2026-11-20', hours: 2.5, credits: 1, notes: 'via LMS', certificate: { fileName: 'fire.pdf', contentType: 'application/pdf', bytes: pdf } };
    const first = await connector.writeTraining!(ctxFor(), String(employee), training);
    await connector.writeTraining!(ctxFor(), String(employee), { name: 'fire safety 2026', completedOn: '2026-11-21' });
    const types = sb.sandbox.trainingTypes();
    expect(types.length).toBe(before);
    const type = types.find((t) => t.name === 'Fire Safety 2026')!;
    const records = sb.sandbox.trainingRecords(employee).filter((r) => r.type === type.id);
    expect(records.map((r) => [r.completed, r.hours, r.credits, r.notes])).toEqual([['2026-11-20', 2.5, 1, 'via LMS'], ['2026-11-21', null, null, null]]);
    expect(first.remote_id).toBe(String(records[0].id));
    const category = sb.sandbox.fileCategories().find((c) => c.name === 'Training Certificates')!;
    expect(sb.sandbox.files().filter((f) => f.employeeId === employee && f.categoryId === category.id).map((f) => f.name)).toEqual(['Fire Safety 2026 – certificate']);
  });

  it('writeTraining refuses a bad completion date before creating anything', async () => {
    const before = sb.sandbox.trainingTypes().length;
    await expect(connector.writeTraining!(ctxFor(), String(sb.sandbox.employeeIds()[4]), { name: 'Never Created', completedOn: '20.11.2026' })).rejects.toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT' });
    expect(sb.sandbox.trainingTypes().length).toBe(before);
  });
});

describe('metadata and passthrough', () => {
  it('listAttributes comes from /meta/fields with list options', async () => {
    const attrs = await connector.listAttributes(ctxFor());
    expect(attrs.find((a) => a.key === 'firstName')).toBeDefined();
    const dept = attrs.find((a) => a.key === 'department');
    expect(dept?.options.length).toBeGreaterThan(0);
    expect(attrs.some((a) => connector.fieldKind(a.key) === 'CUSTOM')).toBe(true);
  });

  it('passthrough reaches the API below /v1 and returns the remote status', async () => {
    const ok = await connector.passthrough(ctxFor(), { method: 'GET', path: '/v1/meta/lists' });
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.data)).toBe(true);
    const missing = await connector.passthrough(ctxFor(), { method: 'GET', path: '/employees/999999', params: { fields: 'firstName' } });
    expect(missing.status).toBe(404);
    expect(ok.headers).not.toHaveProperty('authorization');
  });
});
