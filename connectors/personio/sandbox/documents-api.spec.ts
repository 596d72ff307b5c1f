import { PersonioSandbox, startPersonioSandbox } from './index';
import { MAX_UPLOAD_BYTES } from './documents-api';
import { get, token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let t: string;
let employeeId: number;
let learning: number;

beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 10, now: NOW, rateLimits: false });
  t = await token(sb);
  employeeId = sb.employeeIds()[2];
  const cats = (await get(sb, '/v1/company/document-categories', t)).json.data;
  learning = cats.find((c: any) => c.attributes.name === 'Learning certificates').id; // eslint-disable-line @typescript-eslint/no-explicit-any
});
afterAll(() => sb.close());

function upload(fields: Record<string, string>, file?: { name: string; bytes: Buffer; type?: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/pdf' }), file.name);
  return fetch(`${sb.url}/v1/company/documents`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form }).then(async (r) => ({
    status: r.status,
    json: await r.json(),
  }));
}

const pdf = { name: 'Zertifikat Brandschutz.pdf', bytes: Buffer.from('%PDF-1.4 certificate') };

describe('document categories', () => {
  it('lists the defaults incl. "Learning certificates" and "Other documents", and added ones', async () => {
    const added = sb.addDocumentCategory('Weiterbildung');
    const r = await get(sb, '/v1/company/document-categories', t);
    const names = r.json.data.map((c: any) => c.attributes.name); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(names).toEqual(expect.arrayContaining(['Learning certificates', 'Other documents', 'Weiterbildung']));
    expect(r.json.data.at(-1)).toEqual({ id: added.id, type: 'DocumentCategory', attributes: { name: 'Weiterbildung' } });
  });
});

describe('POST /v1/company/documents', () => {
  it("stores a valid upload and answers 201 with Personio's body", async () => {
    const r = await upload(
      { title: 'Brandschutz – Grundkurs', employee_id: String(employeeId), category_id: String(learning), comment: 'LMS', date: '2026-02-27' },
      pdf,
    );
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      success: true,
      data: {
        type: 'Document',
        attributes: {
          title: 'Brandschutz – Grundkurs',
          date: '2026-02-27',
          comment: 'LMS',
          employee: { type: 'Employee', attributes: { id: { value: employeeId } } },
          category: { id: learning, type: 'DocumentCategory', attributes: { name: 'Learning certificates' } },
        },
      },
    });
    const stored = sb.uploadedDocuments().find((d) => d.id === r.json.data.id)!;
    expect(stored).toMatchObject({ employeeId, categoryId: learning, fileName: pdf.name, contentType: 'application/pdf', comment: 'LMS' });
    expect(stored.bytes.equals(pdf.bytes)).toBe(true);
  });

  it('keeps a UTF-8 file name as sent (not decoded as Latin-1)', async () => {
    const file = { name: 'Größe – Übung №1.pdf', bytes: pdf.bytes };
    const r = await upload({ title: 'Umlaute', employee_id: String(employeeId), category_id: String(learning) }, file);
    expect(r.status).toBe(201);
    expect(sb.uploadedDocuments().find((d) => d.id === r.json.data.id)!.fileName).toBe(file.name);
  });

  it('answers 422 with error_data for missing fields (German), bad types, title > 255, bad date and file type', async () => {
    const missing = await upload({});
    expect(missing.status).toBe(422);
    expect(missing.json.error.message).toBe('The given data was invalid.');
    expect(missing.json.error.code).toBe(0);
    expect(missing.json.error.error_data.category_id).toEqual(['Bitte geben Sie category id ein, um fortzufahren.']);
    expect(Object.keys(missing.json.error.error_data).sort()).toEqual(['category_id', 'employee_id', 'file', 'title']);
    const bad = await upload(
      { title: 'x'.repeat(256), employee_id: 'abc', category_id: String(learning), date: '27.02.2026' },
      { name: 'virus.exe', bytes: Buffer.from('MZ') },
    );
    expect(bad.json.error.error_data).toEqual({
      title: ['The title may not be greater than 255 characters.'],
      employee_id: ['The employee id must be an integer.'],
      file: [expect.stringMatching(/^The file must be a file of type: pdf, docx, doc, jpg, .*md, fax\.$/)],
      date: ['The date does not match the format Y-m-d.'],
    });
    expect(
      (await upload({ title: 'x'.repeat(255), employee_id: String(employeeId), category_id: String(learning) }, { name: 'a.PNG', bytes: Buffer.from('x') }))
        .status,
    ).toBe(201);
  });

  it('rejects files over 30 MB', async () => {
    const r = await upload(
      { title: 'big', employee_id: String(employeeId), category_id: String(learning) },
      { name: 'big.pdf', bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 1) },
    );
    expect(r.status).toBe(422);
    expect(r.json.error.error_data.file).toEqual(['The file may not be greater than 30720 kilobytes.']);
  });

  it('answers 404 for unknown employee or category', async () => {
    const noCat = await upload({ title: 't', employee_id: String(employeeId), category_id: '1' }, pdf);
    expect(noCat).toEqual({ status: 404, json: { success: false, error: { message: 'No query results for model [DocumentCategory] 1', code: 0 } } });
    const noEmp = await upload({ title: 't', employee_id: '3', category_id: String(learning) }, pdf);
    expect(noEmp.status).toBe(404);
    expect(noEmp.json.error.message).toBe('No query results for model [Employee] 3');
  });
});
