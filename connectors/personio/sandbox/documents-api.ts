import busboy from 'busboy';
import { IncomingMessage } from 'node:http';
import { isoToDay } from './dates';
import { Reply, drain, json, v1Error } from './http-util';
import { SandboxState } from './state';
import { ALLOWED_EXTENSIONS } from '../upload-types';

export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;

export { ALLOWED_EXTENSIONS } from '../upload-types';

interface ParsedUpload {
  fields: Record<string, string>;
  file: { name: string; contentType: string; bytes: Buffer; tooLarge: boolean } | null;
}

export function listCategories(state: SandboxState): Reply {
  const data = state.categories.map((c) => ({ id: c.id, type: 'DocumentCategory', attributes: { name: c.name } }));
  return { ...json(200, { success: true, data }), isData: true };
}

function parseMultipart(req: IncomingMessage): Promise<ParsedUpload | null> {
  return new Promise((resolve) => {
    let bb: busboy.Busboy;
    try {
      // Real Personio keeps UTF-8 file names; busboy's default decodes them as Latin-1.
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50 } });
    } catch {
      void drain(req).then(() => resolve(null));
      return;
    }
    const out: ParsedUpload = { fields: {}, file: null };
    bb.on('field', (name, value) => (out.fields[name] = value));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      let tooLarge = false;
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (tooLarge = true));
      stream.on('close', () => {
        if (name === 'file') out.file = { name: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.concat(chunks), tooLarge };
      });
    });
    bb.on('close', () => resolve(out));
    bb.on('error', () => resolve(out));
    req.pipe(bb);
  });
}

const required = (field: string) => `Bitte geben Sie ${field.replace(/_/g, ' ')} ein, um fortzufahren.`;

/** Laravel-style validation in Personio's order: 422 with `error_data` per field. */
function validate(p: ParsedUpload): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const f = p.fields;
  if (!f.title) add('title', required('title'));
  else if ([...f.title].length > 255) add('title', 'The title may not be greater than 255 characters.');
  for (const key of ['employee_id', 'category_id']) {
    if (!f[key]) add(key, required(key));
    else if (!/^\d+$/.test(f[key])) add(key, `The ${key.replace(/_/g, ' ')} must be an integer.`);
  }
  if (!p.file || (p.file.bytes.length === 0 && !p.file.tooLarge)) add('file', required('file'));
  else {
    const ext = (/\.([^.]+)$/.exec(p.file.name)?.[1] ?? '').toLowerCase();
    if (!ALLOWED_EXTENSIONS.includes(ext)) add('file', `The file must be a file of type: ${ALLOWED_EXTENSIONS.join(', ')}.`);
    if (p.file.tooLarge) add('file', 'The file may not be greater than 30720 kilobytes.');
  }
  if (f.date && isoToDay(f.date) === null) add('date', 'The date does not match the format Y-m-d.');
  return errors;
}

export async function uploadDocument(state: SandboxState, req: IncomingMessage, failWith: () => Reply | null): Promise<Reply> {
  const parsed = (await parseMultipart(req)) ?? { fields: {}, file: null };
  const injected = failWith();
  if (injected) return injected;
  const errors = validate(parsed);
  if (Object.keys(errors).length > 0) return v1Error(422, 'The given data was invalid.', 0, { error_data: errors });

  const employeeId = Number(parsed.fields.employee_id);
  const categoryId = Number(parsed.fields.category_id);
  const employee = state.store.get(employeeId);
  if (!employee) return v1Error(404, `No query results for model [Employee] ${employeeId}`, 0);
  const category = state.categories.find((c) => c.id === categoryId);
  if (!category) return v1Error(404, `No query results for model [DocumentCategory] ${categoryId}`, 0);

  const file = parsed.file!;
  const doc = state.addDocument({
    employeeId,
    categoryId,
    title: parsed.fields.title,
    comment: parsed.fields.comment || null,
    date: parsed.fields.date || null,
    fileName: file.name,
    contentType: file.contentType,
    bytes: file.bytes,
    createdAt: new Date(state.clock.now()),
  });
  const attr = (key: string, label: string, value: unknown, type = 'standard') => ({ label, value, type, universal_id: key });
  return {
    ...json(201, {
      success: true,
      data: {
        id: doc.id,
        type: 'Document',
        attributes: {
          title: doc.title,
          date: doc.date,
          comment: doc.comment,
          employee: {
            type: 'Employee',
            attributes: {
              id: attr('id', 'ID', employee.id, 'integer'),
              first_name: attr('first_name', 'First name', employee.firstName),
              last_name: attr('last_name', 'Last name', employee.lastName),
              email: attr('email', 'Email', employee.email),
            },
          },
          category: { id: category.id, type: 'DocumentCategory', attributes: { name: category.name } },
        },
      },
    }),
    isData: true,
  };
}
