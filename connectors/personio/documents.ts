// Document upload (POST /v1/company/documents, multipart) and categories.
// Personio's limits are checked before sending so the user gets a clear
// message instead of a 422 after a 30 MB upload.
import { ConnectorError, type DocumentUpload, type UploadResult, type UploadRules } from '../connector';
import type { UnifiedDocumentCategory } from '../unified';
import type { PersonioClient } from './client';
import type { PersonioDocumentCategory } from './types';
import { text } from '../values';
import { ALLOWED_EXTENSIONS } from './upload-types';

/**
 * Personio's document rules (reference/personio/NOTES.md §2.9): the extension
 * allow-list of its 422 message, titles of at most 255 characters, and "maximum
 * file size is 30MB" — which in practice means smaller than 30 MiB: a file of
 * exactly 31,457,280 bytes is refused, so the largest accepted is one byte less.
 */
export const PERSONIO_UPLOAD_RULES: UploadRules = {
  extensions: ALLOWED_EXTENSIONS,
  maxBytes: 30 * 1024 * 1024 - 1,
  maxTitleLength: 255,
};
const { maxBytes: MAX_DOCUMENT_BYTES, maxTitleLength: MAX_TITLE_LENGTH } = PERSONIO_UPLOAD_RULES;
const CATEGORIES_PATH = '/company/document-categories';

function invalid(message: string): ConnectorError {
  return new ConnectorError('UPSTREAM_INVALID_INPUT', message, { endpoint: 'documents' });
}

/** Personio wants `Y-m-d`; a Date is taken as its UTC calendar day. */
export function documentDate(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const s = d instanceof Date ? d.toISOString() : d;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  if (!m || Number.isNaN(Date.parse(m[1]))) throw invalid(`Document date "${String(s)}" is not a date (expected YYYY-MM-DD)`);
  return m[1];
}

export function buildDocumentForm(employeeRemoteId: string, doc: DocumentUpload): FormData {
  if (!/^\d+$/.test(employeeRemoteId)) throw new ConnectorError('NOT_FOUND', `"${employeeRemoteId}" is not a Personio employee id`, { endpoint: 'documents' });
  if (!/^\d+$/.test(doc.categoryRemoteId))
    throw new ConnectorError('NOT_FOUND', `"${doc.categoryRemoteId}" is not a Personio document category id`, { endpoint: 'documents' });
  const title = doc.title.trim();
  if (title === '') throw invalid('A document title is required');
  if (title.length > MAX_TITLE_LENGTH) throw invalid(`Personio accepts document titles of at most ${MAX_TITLE_LENGTH} characters (got ${title.length})`);
  if (doc.bytes.length === 0) throw invalid('The document is empty');
  if (doc.bytes.length > MAX_DOCUMENT_BYTES) throw invalid(`Personio accepts files smaller than 30 MB (got ${doc.bytes.length} bytes)`);
  const form = new FormData();
  form.append('title', title);
  form.append('employee_id', employeeRemoteId);
  form.append('category_id', doc.categoryRemoteId);
  if (doc.comment) form.append('comment', doc.comment);
  const date = documentDate(doc.date);
  if (date) form.append('date', date);
  form.append('file', new Blob([new Uint8Array(doc.bytes)], { type: doc.contentType || 'application/octet-stream' }), doc.fileName);
  return form;
}

/**
 * 201 → the new document's id. 404 (unknown employee or category) → NOT_FOUND,
 * 422 → UPSTREAM_INVALID_INPUT with Personio's message, 403 →
 * PERMISSION_MISSING, 429/5xx after retries → RATE_LIMITED/UPSTREAM_UNAVAILABLE.
 * An upload is not idempotent, so only 429 and 503 (request not processed)
 * are retried; other failures are reported for the caller to decide.
 */
export async function uploadPersonioDocument(client: PersonioClient, employeeRemoteId: string, doc: DocumentUpload): Promise<UploadResult> {
  const form = buildDocumentForm(employeeRemoteId, doc);
  const res = await client.request({ method: 'POST', path: '/company/documents', data: form, bucket: 'documents', idempotent: false });
  const id = (res.data as { data?: { id?: unknown } } | null)?.data?.id;
  return { remote_id: text(id) };
}

export function mapDocumentCategory(raw: PersonioDocumentCategory): UnifiedDocumentCategory | null {
  const remote_id = text(raw?.id);
  if (remote_id === null) return null;
  return { remote_id, name: text(raw.attributes?.name), remote_data: { [CATEGORIES_PATH]: raw } };
}

export async function personioDocumentCategories(client: PersonioClient): Promise<UnifiedDocumentCategory[]> {
  return (await client.getDocumentCategories()).map(mapDocumentCategory).filter((c): c is UnifiedDocumentCategory => c !== null);
}
