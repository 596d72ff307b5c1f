import { inputInvalid } from '../common/errors';

/**
 * What an HRIS accepts as a document, checked before anything is sent so the
 * caller gets a clear PLATFORM.INPUT_INVALID instead of a remote 422 after a
 * 30 MB upload. Personio's rules: reference/personio/NOTES.md §2.9 (the
 * simulator in connectors/personio/sandbox enforces the same list).
 */
export interface UploadRules {
  /** Lower-case file extensions, without the dot. */
  extensions: readonly string[];
  maxBytes: number;
  maxTitleLength: number;
}

export const PERSONIO_RULES: UploadRules = {
  extensions: [
    'pdf', 'docx', 'doc', 'jpg', 'zip', 'png', 'txt', 'jpeg', 'odt', 'xlsx', 'rtf', 'htm', 'xls', 'p7s', 'pptx', 'pages', 'rar',
    'ppt', 'gif', 'tif', 'html', 'msg', 'asc', 'tiff', 'wps', 'bmp', '7z', 'csv', 'ics', 'vcf', 'dotx', 'numbers', 'eps', 'gz',
    'ods', 'otf', 'odp', 'odg', 'rtfd', 'txz', 'webarchive', 'xml', 'xps', 'md', 'fax',
  ],
  maxBytes: 30 * 1024 * 1024,
  maxTitleLength: 255,
};

const RULES_BY_TOOL: Record<string, UploadRules> = { personio: PERSONIO_RULES };

export function uploadRulesFor(tool: string): UploadRules {
  return RULES_BY_TOOL[tool] ?? PERSONIO_RULES;
}

/** Types that say nothing about the file: Kombo asks callers not to send them, and HRIS previews break on them. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/x-octet-stream', 'application/unknown', 'application/binary']);

/** Common types by extension, for a data_url whose response has no meaningful Content-Type. */
const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', txt: 'text/plain',
  csv: 'text/csv', html: 'text/html', htm: 'text/html', xml: 'application/xml', md: 'text/markdown', zip: 'application/zip',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text', rtf: 'application/rtf', tif: 'image/tiff', tiff: 'image/tiff', bmp: 'image/bmp',
};

export function extensionOf(fileName: string): string {
  return (/\.([^./\\]+)$/.exec(fileName.trim())?.[1] ?? '').toLowerCase();
}

export function assertAllowedFileName(fileName: string, rules: UploadRules): void {
  const ext = extensionOf(fileName);
  if (!ext) {
    throw inputInvalid(`Invalid input: document.name "${fileName}" has no file extension; the HRIS needs one to accept the file (e.g. "Certificate.pdf").`);
  }
  if (!rules.extensions.includes(ext)) {
    throw inputInvalid(`Invalid input: document.name has the file type ".${ext}", which the HRIS does not accept. Accepted types: ${rules.extensions.join(', ')}.`);
  }
}

export function isGenericContentType(contentType: string): boolean {
  return GENERIC_TYPES.has(contentType.split(';')[0].trim().toLowerCase());
}

/** A caller-given content type: `type/subtype` and not a generic octet-stream. */
export function assertUsableContentType(contentType: string, field = 'document.content_type'): string {
  const value = contentType.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/.test(value)) {
    throw inputInvalid(`Invalid input: ${field} "${value}" is not a MIME type (expected e.g. application/pdf).`);
  }
  if (isGenericContentType(value)) {
    throw inputInvalid(`Invalid input: ${field} "${value}" is generic; send the file's real type (e.g. application/pdf) so the HRIS can show it.`);
  }
  return value;
}

export function contentTypeForExtension(fileName: string): string | null {
  return TYPE_BY_EXTENSION[extensionOf(fileName)] ?? null;
}

export function assertSize(bytes: number, rules: UploadRules): void {
  if (bytes === 0) throw inputInvalid('Invalid input: the document is empty.');
  if (bytes > rules.maxBytes) {
    throw inputInvalid(`Invalid input: the document is ${(bytes / 1024 / 1024).toFixed(1)} MB; the HRIS accepts files of at most ${rules.maxBytes / 1024 / 1024} MB.`);
  }
}

/**
 * Strict base64 (standard alphabet, padding optional, line breaks tolerated as
 * MIME encoders wrap at 76 columns). Anything else is refused rather than
 * decoded leniently: Node's decoder silently skips bad characters, which would
 * upload a corrupted certificate.
 */
export function decodeBase64(data: string, rules: UploadRules): Buffer {
  const compact = /[\r\n\t ]/.test(data) ? data.replace(/[\r\n\t ]+/g, '') : data;
  if (compact.startsWith('data:')) {
    throw inputInvalid('Invalid input: document.data must be plain base64, not a data: URI; drop the "data:…;base64," prefix.');
  }
  // Checked on the encoded length first so a huge body is refused without decoding it.
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  assertSize(Math.floor((compact.length * 3) / 4) - padding, rules);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1 || (padding > 0 && compact.length % 4 !== 0)) {
    throw inputInvalid('Invalid input: document.data is not valid base64 (standard alphabet A–Z a–z 0–9 + /, optional = padding).');
  }
  const bytes = Buffer.from(compact, 'base64');
  assertSize(bytes.length, rules);
  return bytes;
}

/** `YYYY-MM-DD` that is a real calendar day. */
export function assertCalendarDate(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw inputInvalid(`Invalid input: ${field} "${value}" is not a date in the form YYYY-MM-DD.`);
  }
  return value;
}
