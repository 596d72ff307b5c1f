import { ErrorCode, inputInvalid } from '../common/errors';
import { sha256Hex } from '../common/ids';
import type { AddEmployeeDocumentDto } from './documents.dto';
import { prepareFile, type PreparedFile } from './document-file';
import { assertCalendarDate, UploadRules } from './file-rules';
import type { OperationSpec } from '../openapi/operation.decorator';

/** Our extension fields may also come as headers: the Kombo SDK's body schema drops unknown fields. */
export interface ExtensionHeaders {
  title?: string;
  comment?: string;
  date?: string;
  idempotencyKey?: string;
}

/** A POST checked and normalised: everything that can be refused without the network has been. */
export interface DocumentRequest extends PreparedFile {
  employeeId: string;
  categoryId: string;
  title: string;
  comment: string | null;
  date: string | null;
  idempotencyKey: string | null;
  /** What "the same body" means for Idempotency-Key. */
  requestHash: string;
}

/** `streamed`: the bytes of `document.data` when the body reader already decoded them (document-body.ts). */
export function prepareDocumentRequest(
  employeeId: string,
  body: AddEmployeeDocumentDto,
  headers: ExtensionHeaders,
  rules: UploadRules,
  streamed?: Buffer,
): DocumentRequest {
  const file = prepareFile(body.document, rules, 'document', streamed);
  const title = pick('title', body.title, decodeHeader('X-Document-Title', headers.title)) ?? defaultTitle(file.fileName);
  if (title.trim() === '') throw inputInvalid('Invalid input: title must not be empty.');
  if ([...title].length > rules.maxTitleLength)
    throw inputInvalid(`Invalid input: title has ${[...title].length} characters; the HRIS accepts at most ${rules.maxTitleLength}.`);
  const comment = pick('comment', body.comment, decodeHeader('X-Document-Comment', headers.comment)) ?? null;
  const date = pick('date', body.date, headers.date?.trim());
  if (date !== undefined) assertCalendarDate(date, 'date');
  const key = parseIdempotencyKey(headers.idempotencyKey);
  const requestHash = sha256Hex(
    JSON.stringify([employeeId, body.category_id, file.fileName, file.contentType, fileIdentity(file), title, comment, date ?? null]),
  );
  return {
    employeeId,
    categoryId: body.category_id,
    ...file,
    title: title.trim(),
    comment,
    date: date ?? null,
    idempotencyKey: key,
    requestHash,
  };
}

/** The Idempotency-Key header, checked; null when absent. */
function parseIdempotencyKey(raw: string | undefined): string | null {
  const key = raw?.trim();
  if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw inputInvalid('Invalid input: the Idempotency-Key header must be 1 to 255 visible ASCII characters (a UUID works well).');
  }
  return key ?? null;
}

/** What "the same file" means for Idempotency-Key: the bytes' hash, or the data_url without its query. */
function fileIdentity(file: PreparedFile): string {
  return file.bytes ? `sha256:${sha256Hex(file.bytes)}` : `url:${urlIdentity(file.dataUrl!)}`;
}

/** Body and header may both carry an extension field; they must agree. */
function pick(field: string, fromBody: string | undefined, fromHeader: string | undefined): string | undefined {
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw inputInvalid(`Invalid input: ${field} is given in the body and as a header with different values; send it once.`);
  }
  return fromBody ?? fromHeader;
}

function decodeHeader(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw inputInvalid(`Invalid input: the ${name} header is not valid percent-encoded UTF-8.`);
  }
}

/** "Certificate – GDPR basics.pdf" → "Certificate – GDPR basics". */
export function defaultTitle(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').trim();
  return base || fileName;
}

/**
 * A data_url's identity for idempotency: without its query string, so a retry
 * with a freshly signed URL to the same object counts as the same request.
 */
function urlIdentity(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return raw;
  }
}

/** The codes a write to the HRIS about an employee answers besides the generic ones (documents, trainings: Kombo's HRIS family). */
export const WRITE_BACK_ERRORS: ErrorCode[] = [
  'PLATFORM.INTEGRATION_NOT_FOUND',
  'INTEGRATION.SETUP_SYNC_PENDING',
  'INTEGRATION.SETUP_INCOMPLETE',
  'INTEGRATION.INACTIVE',
  'INTEGRATION.ACTION_NOT_AVAILABLE',
  'INTEGRATION.PERMISSION_MISSING',
  'INTEGRATION.AUTHENTICATION_INVALID',
  'PLATFORM.TASK_TIMED_OUT',
  'REMOTE.INPUT_INVALID',
  'REMOTE.RATE_LIMIT_EXCEEDED',
  'REMOTE.SERVICE_UNAVAILABLE',
  'REMOTE.UNKNOWN_HTTP_ERROR',
];

/**
 * What every write to the HRIS about one employee (POST …/employees/{employee_id}/documents, …/trainings) declares alike
 * in its ApiOperation: tag, integration header, the employee path parameter and WRITE_BACK_ERRORS.
 */
export const EMPLOYEE_WRITE_OPERATION = {
  tags: ['HRIS'],
  integrationHeader: true,
  params: { employee_id: { description: 'ID of the employee (from GET /hris/employees).' } },
  errors: WRITE_BACK_ERRORS,
} satisfies Partial<OperationSpec>;

/** The first value of a header Node may hand over as a list. */
export const singleHeader = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);
