// The BambooHR connector against the BambooHR simulator over real HTTP, beyond
// reads: throttling (429 + Retry-After, legacy 503) and errors, check() naming
// restricted fields, uploads, training records, metadata and passthrough.
import { ConnectorError } from '../connector';
import { connector, sorted, useBambooEnv } from './connector.spec-env';

const env = useBambooEnv();
const { ctxFor, readAll } = env;

describe('throttling and errors', () => {
  it('waits out 429 + Retry-After and still reads everything', async () => {
    env.sb.sandbox.setFaults({ rateLimitBurst: 3 });
    const { employees } = await readAll(ctxFor());
    expect(employees.length).toBe(env.sb.sandbox.employeeIds().length);
    expect(env.sb.sandbox.requestLog().some((r) => r.status === 429)).toBe(true);
    expect(env.warnings.some((w) => /throttled/.test(w))).toBe(true);
  });

  it('legacy throttling (503 without Retry-After) is retried too', async () => {
    env.sb.sandbox.setSwitches({ throttling: 'legacy' });
    try {
      env.sb.sandbox.setFaults({ rateLimitBurst: 2 });
      const cats = await connector.documentCategories(ctxFor());
      expect(cats.length).toBeGreaterThan(0);
      expect(env.sb.sandbox.requestLog().some((r) => r.status === 503)).toBe(true);
    } finally {
      env.sb.sandbox.setSwitches({ throttling: 'current' });
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
    env.sb.sandbox.setFaults({ serverErrorRate: 0.1, resetRate: 0.05, truncatedJsonRate: 0.05 });
    const { employees } = await readAll(ctxFor());
    expect(sorted(employees.map((e) => e.remote_id))).toEqual(sorted(env.sb.sandbox.employeeIds()));
  });
});

describe('check', () => {
  it('passes for a key that sees everything', async () => {
    expect(await connector.check(ctxFor())).toEqual({ ok: true, missing: [] });
  });

  it('names restricted fields: required ones fail the check, optional ones only warn', async () => {
    const key = env.sb.sandbox.addApiKey({ hiddenFields: ['terminationDate', 'gender', 'supervisor'] });
    const result = await connector.check(ctxFor(key.key));
    expect(result.ok).toBe(false);
    expect(result.missing.map((m) => [m.key, m.optional ?? false])).toEqual([
      ['terminationDate', false],
      ['reportsTo', true],
      ['gender', true],
    ]);
    expect(result.missing[0].message).toMatch(/Termination Date/);
  });

  it('optional gaps alone keep the check ok', async () => {
    const key = env.sb.sandbox.addApiKey({ hiddenFields: ['gender'] });
    expect(await connector.check(ctxFor(key.key))).toMatchObject({ ok: true, missing: [{ key: 'gender', optional: true }] });
  });
});

describe('documents and trainings', () => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');

  it('lists file categories and uploads into one (multipart), returning the file id from Location', async () => {
    const cats = await connector.documentCategories(ctxFor());
    const known = new Map(env.sb.sandbox.fileCategories().map((c) => [String(c.id), c.name]));
    expect(cats.length).toBeGreaterThan(0);
    for (const c of cats) expect(known.get(c.remote_id)).toBe(c.name);
    const target = env.sb.sandbox.fileCategories().find((c) => c.canUploadFiles && cats.some((x) => x.remote_id === String(c.id)))!;
    const employee = String(env.sb.sandbox.employeeIds()[3]);
    const res = await connector.uploadDocument(ctxFor(), employee, {
      fileName: 'cert.pdf',
      contentType: 'application/pdf',
      bytes: pdf,
      categoryRemoteId: String(target.id),
      title: 'GDPR basics – certificate.pdf',
    });
    const stored = env.sb.sandbox.files().find((f) => String(f.id) === res.remote_id)!;
    expect(stored).toMatchObject({ employeeId: Number(employee), categoryId: target.id, name: 'GDPR basics – certificate.pdf', share: false });
    expect(stored.bytes.equals(pdf)).toBe(true);
  });

  it('every extension the gateway lets through is one the simulator accepts', () => {
    const accepted = env.sb.sandbox.switches().allowedExtensions;
    for (const ext of connector.uploadRules.extensions) expect(accepted).toContain(ext);
  });

  it('refuses uploads into a category the key may not upload to (PERMISSION_MISSING) and to unknown people (NOT_FOUND)', async () => {
    const locked = env.sb.sandbox.addFileCategory('Payroll (locked)', false);
    const employee = String(env.sb.sandbox.employeeIds()[3]);
    await expect(
      connector.uploadDocument(ctxFor(), employee, {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        categoryRemoteId: String(locked.id),
        title: 'a.pdf',
      }),
    ).rejects.toMatchObject({ kind: 'PERMISSION_MISSING' });
    await expect(
      connector.uploadDocument(ctxFor(), '999999', {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        categoryRemoteId: String(locked.id),
        title: 'a.pdf',
      }),
    ).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('writeTraining finds the training type by name, records the completion and files the certificate', async () => {
    const employee = env.sb.sandbox.employeeIds()[4];
    // The simulator has no POST /training/type yet; creating a type is covered in client.spec.ts.
    env.sb.sandbox.addTrainingType({ name: 'Fire Safety 2026' });
    const before = env.sb.sandbox.trainingTypes().length;
    const training = {
      name: 'Fire Safety 2026',
      completedOn: '2026-11-20',
      hours: 2.5,
      credits: 1,
      notes: 'via LMS',
      certificate: { fileName: 'fire.pdf', contentType: 'application/pdf', bytes: pdf },
    };
    const first = await connector.writeTraining!(ctxFor(), String(employee), training);
    await connector.writeTraining!(ctxFor(), String(employee), { name: 'fire safety 2026', completedOn: '2026-11-21' });
    const types = env.sb.sandbox.trainingTypes();
    expect(types.length).toBe(before);
    const type = types.find((t) => t.name === 'Fire Safety 2026')!;
    const records = env.sb.sandbox.trainingRecords(employee).filter((r) => r.type === type.id);
    expect(records.map((r) => [r.completed, r.hours, r.credits, r.notes])).toEqual([
      ['2026-11-20', 2.5, 1, 'via LMS'],
      ['2026-11-21', null, null, null],
    ]);
    expect(first.remote_id).toBe(String(records[0].id));
    const category = env.sb.sandbox.fileCategories().find((c) => c.name === 'Training Certificates')!;
    expect(
      env.sb.sandbox
        .files()
        .filter((f) => f.employeeId === employee && f.categoryId === category.id)
        .map((f) => f.name),
    ).toEqual(['Fire Safety 2026 – certificate']);
  });

  it('writeTraining refuses a bad completion date before creating anything', async () => {
    const before = env.sb.sandbox.trainingTypes().length;
    await expect(
      connector.writeTraining!(ctxFor(), String(env.sb.sandbox.employeeIds()[4]), { name: 'Never Created', completedOn: '20.11.2026' }),
    ).rejects.toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT' });
    expect(env.sb.sandbox.trainingTypes().length).toBe(before);
  });

  it('writeTraining refuses a certificate BambooHR would refuse before recording the training', async () => {
    const employee = env.sb.sandbox.employeeIds()[4];
    const typesBefore = env.sb.sandbox.trainingTypes().length;
    const recordsBefore = env.sb.sandbox.trainingRecords(employee).length;
    const certificate = { fileName: 'c.pdf', contentType: 'application/pdf', bytes: pdf };
    // The default title (`<course> – certificate`) of a long course name is over BambooHR's 255 characters.
    await expect(connector.writeTraining!(ctxFor(), String(employee), { name: 'L'.repeat(250), completedOn: '2026-11-20', certificate })).rejects.toMatchObject(
      { kind: 'UPSTREAM_INVALID_INPUT' },
    );
    await expect(
      connector.writeTraining!(ctxFor(), String(employee), {
        name: 'Never Recorded',
        completedOn: '2026-11-20',
        certificate: { ...certificate, categoryRemoteId: 'not-an-id' },
      }),
    ).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    expect(env.sb.sandbox.trainingTypes().length).toBe(typesBefore);
    expect(env.sb.sandbox.trainingRecords(employee).length).toBe(recordsBefore);
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
