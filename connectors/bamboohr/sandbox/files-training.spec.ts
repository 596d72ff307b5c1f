import { BambooTestSandbox, MAX_UPLOAD_BYTES, bamboo, basicAuth, startBambooHrForTest } from './index';

/** File categories, multipart upload and training records (NOTES §4.11, §4.12). */
describe('BambooHR sandbox: files and trainings', () => {
  let t: BambooTestSandbox;
  let id: number;

  beforeAll(async () => {
    t = await startBambooHrForTest({ employees: 10, seed: 2 });
    id = t.sandbox.employeeIds()[2];
  });
  afterAll(() => t.close());

  const form = (parts: Record<string, string>, file?: { name: string; bytes: Uint8Array; type?: string }) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(parts)) f.set(k, v);
    if (file) f.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type ?? 'application/pdf' }), file.name);
    return f;
  };
  const pdf = new TextEncoder().encode('%PDF-1.7 certificate');

  it('lists categories (JSON on request, XML otherwise) and creates new ones without an id in the answer', async () => {
    const view = await bamboo(t, `/employees/${id}/files/view`);
    expect(view.status).toBe(200);
    expect(view.json.employee).toEqual({ id });
    expect(view.json.categories.map((c: { name: string }) => c.name)).toEqual(['Contracts', 'Payroll', 'Onboarding Documents', 'Signed Documents']);
    const created = await bamboo(t, '/employees/files/categories', { method: 'POST', body: ['Training Certificates'] });
    expect(created.status).toBe(201);
    expect(created.text).toBe('');
    expect((await bamboo(t, '/employees/files/categories', { method: 'POST', body: ['training certificates'] })).status).toBe(400);
    expect((await bamboo(t, '/employees/files/categories', { method: 'POST', body: [] })).status).toBe(200);
    const xml = await bamboo(t, `/employees/${id}/files/view`, { accept: null });
    expect(xml.text).toMatch(/<employee id="\d+"><category id="12"><name>Contracts<\/name>/);
    expect(xml.text).toContain('<name>Training Certificates</name>');
  });

  it('uploads a certificate: 201, Location with the file id, no body; the file is stored', async () => {
    const cat = t.sandbox.fileCategories().find((c) => c.name === 'Training Certificates')!;
    const r = await bamboo(t, `/employees/${id}/files`, {
      method: 'POST',
      body: form({ fileName: 'GDPR basics – certificate.pdf', category: String(cat.id), share: 'yes' }, { name: 'cert.pdf', bytes: pdf }),
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    const loc = r.headers.get('location')!;
    expect(loc).toMatch(new RegExp(`/api/v1/employees/${id}/files/(\\d+)$`));
    const fileId = Number(/(\d+)$/.exec(loc)![1]);
    const stored = t.sandbox.files().find((f) => f.id === fileId)!;
    expect(stored).toEqual(
      expect.objectContaining({ employeeId: id, categoryId: cat.id, name: 'GDPR basics – certificate.pdf', share: true, contentType: 'application/pdf' }),
    );
    expect(stored.bytes.equals(Buffer.from(pdf))).toBe(true);
    const listed = (await bamboo(t, `/employees/${id}/files/view`)).json.categories.find((c: { id: number }) => c.id === cat.id);
    expect(listed.files[0]).toEqual(
      expect.objectContaining({ id: fileId, size: pdf.length, shareWithEmployee: 'yes', dateCreated: expect.stringMatching(/\+0000$/) }),
    );
    const dl = await fetch(loc, { headers: { authorization: basicAuth(t.apiKey) } });
    expect(Buffer.from(await dl.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
    // no idempotency: the same upload twice is two files (NOTES §10.5)
    await bamboo(t, `/employees/${id}/files`, {
      method: 'POST',
      body: form({ fileName: 'GDPR basics – certificate.pdf', category: String(cat.id) }, { name: 'cert.pdf', bytes: pdf }),
    });
    expect(t.sandbox.files().filter((f) => f.employeeId === id && f.categoryId === cat.id)).toHaveLength(2);
  });

  it('rejects uploads the way the spec lists: 400, 403, 404, 413, 503 fault', async () => {
    const post = (parts: Record<string, string>, file?: { name: string; bytes: Uint8Array }, emp = id) =>
      bamboo(t, `/employees/${emp}/files`, { method: 'POST', body: form(parts, file) });
    const ok = { fileName: 'c.pdf', category: '12' };
    expect((await post({ category: '12' }, { name: 'c.pdf', bytes: pdf })).status).toBe(400);
    expect((await post(ok)).status).toBe(400);
    expect((await post(ok, { name: 'c.pdf', bytes: new Uint8Array() })).status).toBe(400);
    const exe = await post({ fileName: 'c.exe', category: '12' }, { name: 'c.exe', bytes: pdf });
    expect(exe.status).toBe(400);
    expect(exe.headers.get('x-bamboohr-error-message')).toMatch(/extension/);
    expect((await post({ fileName: 'c.pdf', category: '13' }, { name: 'c.pdf', bytes: pdf })).status).toBe(403);
    expect((await post({ fileName: 'c.pdf', category: '999' }, { name: 'c.pdf', bytes: pdf })).status).toBe(404);
    expect((await post(ok, { name: 'c.pdf', bytes: pdf }, 999999)).status).toBe(404);
    const big = await post(ok, { name: 'big.pdf', bytes: new Uint8Array(MAX_UPLOAD_BYTES + 1) });
    expect(big.status).toBe(413);
    t.sandbox.setFaults({ uploadFailureRate: 1 });
    expect((await post(ok, { name: 'c.pdf', bytes: pdf })).status).toBe(503);
    t.sandbox.resetFaults();
    expect((await post(ok, { name: 'c.pdf', bytes: pdf })).status).toBe(201);
  });

  it('lists training types and writes completed trainings (type int on create, string in lists; [] when none)', async () => {
    const types = await bamboo(t, '/training/type');
    expect(types.status).toBe(200);
    const first = Object.values(types.json as Record<string, { id: number; name: string; category: unknown }>)[0];
    expect(first).toEqual(expect.objectContaining({ id: 1, name: 'Data Protection Basics', category: { id: 1, name: 'Compliance' } }));
    expect((types.json as Record<string, { category: unknown }>)['4'].category).toEqual([]);
    expect((await bamboo(t, `/training/record/employee/${id}`)).json).toEqual([]);
    const created = await bamboo(t, `/training/record/employee/${id}`, {
      method: 'POST',
      body: { completed: '2026-11-20', type: 1, hours: 2, credits: 1, instructor: 'LMS', cost: { currency: 'EUR', amount: '10' } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(Number),
      employeeId: String(id),
      completed: '2026-11-20',
      type: 1,
      hours: '2',
      credits: '1',
      instructor: 'LMS',
      notes: null,
      cost: '10.00 EUR',
    });
    const list = await bamboo(t, `/training/record/employee/${id}`);
    expect(list.json[String(created.json.id)]).toEqual({ ...created.json, type: '1' });
    expect(t.sandbox.trainingRecords(id)).toHaveLength(1);
    expect((await bamboo(t, `/training/record/employee/${id}?type=2`)).json).toEqual([]);
    const upd = await bamboo(t, `/training/record/${created.json.id}`, { method: 'PUT', body: { completed: '2026-11-21', notes: 'renewed' } });
    expect(upd.status).toBe(201);
    expect(upd.json).toEqual(expect.objectContaining({ completed: '2026-11-21', notes: 'renewed', type: '1' }));
    expect((await bamboo(t, `/training/record/employee/${id}`, { method: 'POST', body: { type: 1 } })).status).toBe(400);
    expect((await bamboo(t, `/training/record/employee/${id}`, { method: 'POST', body: { completed: '2026-11-20', type: 99 } })).status).toBe(400);
    expect((await bamboo(t, '/training/record/employee/999999', { method: 'POST', body: { completed: '2026-11-20', type: 1 } })).status).toBe(404);
    expect((await bamboo(t, `/training/record/${created.json.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(t.sandbox.trainingRecords(id)).toHaveLength(0);
  });
});
