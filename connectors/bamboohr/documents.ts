// Employee files (certificates) and training records: BambooHR's two places
// for what a learning platform writes back (NOTES §4.11, §4.12, §10).
import { ConnectorError, type DocumentUpload, type TrainingRecord, type UploadResult, type UploadRules } from '../connector';
import type { UnifiedDocumentCategory } from '../unified';
import { text } from '../values';
import type { BambooClient } from './client';
import type { BambooFileCategory } from './types';
import { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from './upload-types';

/** The narrow reading of BambooHR's limits (upload-types.ts), so nothing passes the gateway's check only to be refused after the upload. */
export const BAMBOOHR_UPLOAD_RULES: UploadRules = {
  extensions: ALLOWED_EXTENSIONS,
  maxBytes: MAX_UPLOAD_BYTES,
  maxTitleLength: 255,
};

/** No upload rate is published; the gateway keeps to 60 a minute, well inside the client's 300. */
export const BAMBOOHR_UPLOAD_RATE = { perWindow: 60, windowMs: 60_000 };

export const filesViewPath = (employeeId: string) => `/v1/employees/${employeeId}/files/view`;

function invalid(message: string): ConnectorError {
  return new ConnectorError('UPSTREAM_INVALID_INPUT', message, { endpoint: 'files' });
}

function employeeIdOrFail(id: string, endpoint: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new ConnectorError('NOT_FOUND', `"${id}" is not a BambooHR employee id`, { endpoint });
  return id;
}

/** The file categories ("sections") one employee's files are filed under; the same for every employee (NOTES §10). */
export async function fileCategories(client: BambooClient, employeeId: string): Promise<BambooFileCategory[]> {
  const body = (await client.get(`/employees/${encodeURIComponent(employeeId)}/files/view`, undefined, 'files')) as { categories?: unknown } | null;
  const cats = body?.categories;
  return Array.isArray(cats) ? (cats as BambooFileCategory[]).filter((c) => c && typeof c === 'object') : [];
}

export function mapFileCategory(raw: BambooFileCategory, employeeId: string): UnifiedDocumentCategory | null {
  const remote_id = text(raw?.id);
  if (remote_id === null) return null;
  // Files are per employee; the category's own facts are what it is (the files are not).
  const { files: _files, ...own } = raw;
  void _files;
  return { remote_id, name: text(raw.name), remote_data: { [filesViewPath(employeeId)]: own } };
}

/** Throws what BambooHR would refuse in this file (a category id is checked when given); returns the trimmed title. */
function checkFile(doc: Pick<DocumentUpload, 'title' | 'bytes'> & { categoryRemoteId?: string }): string {
  if (doc.categoryRemoteId !== undefined && !/^\d{1,18}$/.test(doc.categoryRemoteId))
    throw new ConnectorError('NOT_FOUND', `"${doc.categoryRemoteId}" is not a BambooHR file category id`, { endpoint: 'files' });
  const title = doc.title.trim();
  if (title === '') throw invalid('A document title is required');
  if (title.length > BAMBOOHR_UPLOAD_RULES.maxTitleLength)
    throw invalid(`BambooHR accepts file names of at most ${BAMBOOHR_UPLOAD_RULES.maxTitleLength} characters (got ${title.length})`);
  if (doc.bytes.length === 0) throw invalid('The document is empty');
  if (doc.bytes.length > BAMBOOHR_UPLOAD_RULES.maxBytes) throw invalid(`BambooHR accepts files of at most 20 MB (got ${doc.bytes.length} bytes)`);
  return title;
}

export function buildFileForm(doc: DocumentUpload, share: boolean): FormData {
  const title = checkFile(doc);
  const form = new FormData();
  form.append('fileName', title);
  form.append('category', doc.categoryRemoteId);
  form.append('share', share ? 'yes' : 'no');
  form.append('file', new Blob([new Uint8Array(doc.bytes)], { type: doc.contentType || 'application/octet-stream' }), doc.fileName);
  return form;
}

/** The new file's id: BambooHR sends no body, only `Location: …/employees/133/files/9001`. */
export function fileIdFromLocation(location: string | undefined): string | null {
  const m = location ? /\/files\/(\d+)\/?(?:[?#].*)?$/.exec(location) : null;
  return m ? m[1] : null;
}

/**
 * 201 → the file id from Location. An upload is not idempotent (a retry after a lost
 * answer would file it twice), so only 429/503 (not processed) are retried.
 */
export async function uploadFile(client: BambooClient, employeeRemoteId: string, doc: DocumentUpload, share: boolean): Promise<UploadResult> {
  const id = employeeIdOrFail(employeeRemoteId, 'files');
  const form = buildFileForm(doc, share);
  const res = await client.request({ method: 'POST', path: `/employees/${id}/files`, data: form, idempotent: false, endpoint: 'files' });
  return { remote_id: fileIdFromLocation(res.headers.location) };
}

/** The id of the file category named `name`, created when missing (creation returns no id: read again). */
export async function ensureFileCategory(client: BambooClient, employeeId: string, name: string): Promise<string> {
  const find = async () => (await fileCategories(client, employeeId)).find((c) => text(c.name)?.toLowerCase() === name.toLowerCase());
  let found = await find();
  if (!found) {
    await client.request({
      method: 'POST',
      path: '/employees/files/categories',
      data: [name],
      headers: { 'Content-Type': 'application/json' },
      idempotent: false,
      endpoint: 'files',
    });
    found = await find();
  }
  const id = text(found?.id);
  if (id === null)
    throw new ConnectorError('UPSTREAM_UNAVAILABLE', `BambooHR did not show the file category "${name}" after creating it`, { endpoint: 'files' });
  return id;
}

// ---- training records -------------------------------------------------------

/** GET /training/type is an object keyed by id, or `[]` when there is none (NOTES §2 defect 4). */
function trainingTypes(body: unknown): Array<{ id: string; name: string | null }> {
  const values = Array.isArray(body)
    ? body
    : body && typeof body === 'object'
      ? Object.entries(body as Record<string, unknown>).map(([k, v]) => ({ id: k, ...(v as object) }))
      : [];
  return values
    .map((v) => v as { id?: unknown; name?: unknown })
    .map((v) => ({ id: text(v.id), name: text(v.name) }))
    .filter((v): v is { id: string; name: string | null } => v.id !== null);
}

/** Two completions of a new course at once must not create the type twice (in this process). */
const typeCreations = new Map<string, Promise<string>>();

export async function ensureTrainingType(client: BambooClient, scope: string, name: string): Promise<string> {
  const match = async () =>
    trainingTypes(await client.get('/training/type', undefined, 'training')).find((t) => t.name?.toLowerCase() === name.toLowerCase())?.id ?? null;
  const existing = await match();
  if (existing) return existing;
  const key = `${scope}|${name.toLowerCase()}`;
  let pending = typeCreations.get(key);
  if (!pending) {
    pending = (async () => {
      const res = await client.request({ method: 'POST', path: '/training/type', data: { name }, idempotent: false, endpoint: 'training' });
      const id = text((res.data as { id?: unknown } | null)?.id) ?? (await match());
      if (id === null)
        throw new ConnectorError('UPSTREAM_UNAVAILABLE', `BambooHR did not return the training type "${name}" it created`, { endpoint: 'training' });
      return id;
    })().finally(() => typeCreations.delete(key));
    typeCreations.set(key, pending);
  }
  return pending;
}

function trainingBody(t: TrainingRecord, typeId: string): Record<string, unknown> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t.completedOn) || Number.isNaN(Date.parse(t.completedOn)))
    throw invalid(`Completion date "${t.completedOn}" is not a date (expected YYYY-MM-DD)`);
  const body: Record<string, unknown> = { completed: t.completedOn, type: Number(typeId) };
  for (const k of ['hours', 'credits'] as const) {
    const v = t[k];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 0) throw invalid(`${k} must be a number ≥ 0`);
    body[k] = v;
  }
  if (t.notes?.trim()) body.notes = t.notes.trim();
  return body;
}

export interface TrainingOptions {
  /** Scope of the in-process type-creation lock (origin + company). */
  scope: string;
  /** Category for certificates sent without one (found or created by name). */
  certificateCategory: string;
  share: boolean;
}

/**
 * Finds or creates the training type named like the course, adds the employee's
 * training record (completion date, hours, credits, notes) and, when a
 * certificate comes along, files it in the employee's files: BambooHR's training
 * records take no attachment (NOTES §4.12). Returns the training record's id.
 */
export async function writeTrainingRecord(client: BambooClient, employeeRemoteId: string, t: TrainingRecord, opts: TrainingOptions): Promise<UploadResult> {
  const id = employeeIdOrFail(employeeRemoteId, 'training');
  const name = t.name.trim();
  if (name === '') throw invalid('A training name is required');
  trainingBody(t, '0'); // invalid input fails before a training type is created
  // The certificate too: refused after the record was written, the write would fail and its retry record the training twice.
  const certificate = t.certificate ? { ...t.certificate, title: t.certificate.title ?? `${name} – certificate` } : null;
  if (certificate) checkFile(certificate);
  const typeId = await ensureTrainingType(client, opts.scope, name);
  const res = await client.request({
    method: 'POST',
    path: `/training/record/employee/${id}`,
    data: trainingBody(t, typeId),
    idempotent: false,
    endpoint: 'training',
  });
  const recordId = text((res.data as { id?: unknown } | null)?.id);
  if (certificate) {
    const categoryRemoteId = certificate.categoryRemoteId ?? (await ensureFileCategory(client, id, opts.certificateCategory));
    await uploadFile(client, id, { ...certificate, categoryRemoteId }, opts.share);
  }
  return { remote_id: recordId };
}
