import busboy from 'busboy';
import { IncomingMessage } from 'node:http';
import { drain, readBody } from '../../sandbox-kit/http';
import { Reply, empty, error, negotiated, readJson } from './http';
import { MAX_UPLOAD_BYTES } from './options';
import { SandboxState } from './state';
import { ApiKey, StoredFile } from './types';
import { resolveEmployeeId } from './employees-api';

const yn = (b: boolean) => (b ? 'yes' : 'no');
/** JSON `2024-01-15T12:30:00+0000`, XML `2024-01-15 12:30:00` (spec L9503). */
const jsonDate = (d: Date) => d.toISOString().slice(0, 19) + '+0000';
const xmlDate = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** `GET /api/v1/employees/{id}/files/view`: categories (company-wide here) with this person's files. */
export function filesView(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string): Reply {
  const id = rawId === '0' && !state.switches.filesViewAcceptsZero ? null : resolveEmployeeId(key, rawId);
  const e = id === null ? undefined : state.employees.get(id);
  if (!e) return error('classic', state.switches, 404, 'Employee not found');
  if (!state.canSee(key, e.id)) return error('classic', state.switches, 403, "You do not have access to this employee's files");
  // every category is listed; `displayIfEmpty` is a UI hint the API passes through
  const cats = state.categories.map((c) => ({ c, files: state.files.filter((f) => f.employeeId === e.id && f.categoryId === c.id) }));
  const body = {
    employee: { id: e.id },
    categories: cats.map(({ c, files }) => ({
      id: c.id,
      name: c.name,
      canRenameCategory: yn(c.canRename),
      canDeleteCategory: yn(c.canRename),
      canUploadFiles: yn(c.canUploadFiles),
      displayIfEmpty: yn(c.displayIfEmpty),
      files: files.map((f) => ({
        id: f.id,
        name: f.name,
        originalFileName: f.originalFileName,
        size: f.bytes.length,
        dateCreated: jsonDate(f.createdAt),
        createdBy: f.createdBy,
        shareWithEmployee: yn(f.share),
        canRenameFile: 'yes',
        canDeleteFile: 'yes',
        canChangeShareWithEmployeeFieldValue: 'yes',
      })),
    })),
  };
  return negotiated(req, state.switches, body, () => ({
    name: 'employee',
    attrs: { id: e.id },
    children: cats.map(({ c, files }) => ({
      name: 'category',
      attrs: { id: c.id },
      children: [
        { name: 'name', text: c.name },
        { name: 'canRenameCategory', text: yn(c.canRename) },
        { name: 'canDeleteCategory', text: yn(c.canRename) },
        { name: 'canUploadFiles', text: yn(c.canUploadFiles) },
        { name: 'displayIfEmpty', text: yn(c.displayIfEmpty) },
        ...files.map((f) => ({
          name: 'file',
          attrs: { id: f.id },
          children: [
            { name: 'name', text: f.name },
            { name: 'originalFileName', text: f.originalFileName },
            { name: 'size', text: String(f.bytes.length) },
            { name: 'dateCreated', text: xmlDate(f.createdAt) },
            { name: 'createdBy', text: f.createdBy },
            { name: 'shareWithEmployee', text: yn(f.share) },
            { name: 'canRenameFile', text: 'yes' },
            { name: 'canDeleteFile', text: 'yes' },
            { name: 'canChangeShareWithEmployeeFieldValue', text: 'yes' },
          ],
        })),
      ],
    })),
  }));
}

/** `POST /api/v1/employees/files/categories` with a JSON array of names → 201, no body, no id (NOTES §4.11). */
export async function createCategories(state: SandboxState, req: IncomingMessage): Promise<Reply> {
  const raw = await readBody(req);
  const parsed = readJson(raw);
  if (!parsed.ok || !Array.isArray(parsed.value) || parsed.value.some((n) => typeof n !== 'string')) {
    return error('classic', state.switches, 400, 'Malformed JSON: expected an array of category names');
  }
  const names = parsed.value as string[];
  if (names.length === 0) return empty(200);
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.trim().toLowerCase();
    if (!k) return error('classic', state.switches, 400, 'Category name is empty');
    if (seen.has(k) || state.categories.some((c) => c.name.toLowerCase() === k)) return error('classic', state.switches, 400, `Category "${n}" already exists`);
    seen.add(k);
  }
  for (const n of names) state.addCategory(n);
  return empty(201);
}

interface Parsed {
  fields: Record<string, string>;
  file: { name: string; type: string; bytes: Buffer } | null;
  tooLarge: boolean;
}

function parseMultipart(req: IncomingMessage): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
    } catch (err) {
      reject(err);
      return;
    }
    const out: Parsed = { fields: {}, file: null, tooLarge: false };
    bb.on('field', (name, value) => (out.fields[name] = value));
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (out.tooLarge = true));
      stream.on('close', () => (out.file = { name: info.filename ?? '', type: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve(out));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

/** `POST /api/v1/employees/{id}/files` multipart → 201 + Location, no body (NOTES §4.11). */
export async function uploadFile(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string): Promise<Reply> {
  const err = (status: number, msg: string) => error('classic', state.switches, status, msg);
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
    await drain(req);
    return err(400, 'Expected multipart/form-data');
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_UPLOAD_BYTES + 1_000_000) {
    await drain(req);
    return err(413, 'The attempted file upload was too large');
  }
  let parsed: Parsed;
  try {
    parsed = await parseMultipart(req);
  } catch {
    return err(400, 'Malformed multipart body');
  }
  if (parsed.tooLarge) return err(413, 'The attempted file upload was too large');
  if (state.roll(state.faults.uploadFailureRate)) return err(503, 'File storage is temporarily unavailable');
  const id = resolveEmployeeId(key, rawId);
  const e = id === null ? undefined : state.employees.get(id);
  if (!e) return err(404, 'Employee not found');
  if (!state.canSee(key, e.id)) return err(403, 'You do not have access to this employee');
  const { fields, file } = parsed;
  if (!fields.fileName?.trim()) return err(400, 'Missing fileName');
  if (!file) return err(400, 'Missing file');
  if (file.bytes.length === 0) return err(400, 'The file is empty');
  const ext = (/\.([a-z0-9]+)$/i.exec(file.name || fields.fileName)?.[1] ?? '').toLowerCase();
  if (!state.switches.allowedExtensions.includes(ext)) return err(400, `Unsupported file extension "${ext}"`);
  if (!/^\d+$/.test(fields.category ?? '')) return err(400, 'category must be a file category id');
  const category = state.categories.find((c) => c.id === Number(fields.category));
  if (!category) return err(404, 'File category not found');
  if (!category.canUploadFiles) return err(403, 'You do not have permission to upload files to this category');
  if (fields.share !== undefined && fields.share !== 'yes' && fields.share !== 'no') return err(400, 'share must be yes or no');
  const stored = state.addFile({
    employeeId: e.id,
    categoryId: category.id,
    name: fields.fileName,
    originalFileName: file.name || fields.fileName,
    contentType: file.type || 'application/octet-stream',
    bytes: file.bytes,
    share: fields.share === 'yes',
    createdBy: key.userName,
    createdAt: new Date(state.now()),
  });
  return empty(201, { Location: fileLocation(state, stored) });
}

/** Location format is UNVERIFIED (NOTES §4.11); the id is the last path segment. */
export const fileLocation = (state: SandboxState, f: StoredFile): string => `${state.baseUrl}/api/v1/employees/${f.employeeId}/files/${f.id}`;

/** `GET /api/v1/employees/{id}/files/{fileId}`: the bytes with their stored type. */
export function downloadFile(state: SandboxState, key: ApiKey, rawId: string, fileId: string): Reply {
  const id = resolveEmployeeId(key, rawId);
  const f = state.files.find((x) => x.employeeId === id && String(x.id) === fileId);
  if (!f || id === null || !state.employees.has(id) || !state.canSee(key, id)) return error('classic', state.switches, 404, 'File not found');
  return {
    status: 200,
    body: f.bytes,
    contentType: f.contentType,
    headers: { 'Content-Disposition': `attachment; filename="${f.originalFileName.replace(/[^\x20-\x7e]|"/g, '_')}"` },
  };
}
