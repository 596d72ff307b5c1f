import type { UploadRules } from '../../connectors/connector';
import { inputInvalid } from '../common/errors';
import { Base64Decoder } from './base64-decoder';

/**
 * Checks of a document before anything is sent, so the caller gets a clear
 * PLATFORM.INPUT_INVALID instead of a remote error after a long upload. The
 * rules themselves (types, size, title length) are the connector's own
 * (`HrisConnector.uploadRules`); this file only applies them.
 */
export type { UploadRules };

/** Types that say nothing about the file: Kombo asks callers not to send them, and HRIS previews break on them. */
const GENERIC_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/x-octet-stream', 'application/unknown', 'application/binary']);

/** Common types by extension, for a data_url whose response has no meaningful Content-Type. */
const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  md: 'text/markdown',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
};

export function extensionOf(fileName: string): string {
  return (/\.([^./\\]+)$/.exec(fileName.trim())?.[1] ?? '').toLowerCase();
}

/** `field`: the body field the name came from, as error messages name it. */
export function assertAllowedFileName(fileName: string, rules: UploadRules, field = 'document.name'): void {
  const ext = extensionOf(fileName);
  if (!ext) {
    throw inputInvalid(`Invalid input: ${field} "${fileName}" has no file extension; the HRIS needs one to accept the file (e.g. "Certificate.pdf").`);
  }
  if (!rules.extensions.includes(ext)) {
    throw inputInvalid(`Invalid input: ${field} has the file type ".${ext}", which the HRIS does not accept. Accepted types: ${rules.extensions.join(', ')}.`);
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

const MB = 1024 * 1024;

/** "smaller than 30 MB" for a limit of 30 MiB − 1 byte, else "at most 12.5 MB". */
export function describeSizeLimit(maxBytes: number): string {
  return (maxBytes + 1) % MB === 0 ? `smaller than ${(maxBytes + 1) / MB} MB` : `at most ${+(maxBytes / MB).toFixed(2)} MB`;
}

export function assertSize(bytes: number, rules: Pick<UploadRules, 'maxBytes'>): void {
  if (bytes === 0) throw inputInvalid('Invalid input: the document is empty.');
  if (bytes > rules.maxBytes) {
    throw inputInvalid(
      `Invalid input: the document is ${(bytes / MB).toFixed(1)} MB (${bytes} bytes); the HRIS accepts files ${describeSizeLimit(rules.maxBytes)}.`,
    );
  }
}

/**
 * Strict base64 (standard alphabet, padding optional, line breaks tolerated as
 * MIME encoders wrap at 76 columns). Anything else is refused rather than
 * decoded leniently: Node's decoder silently skips bad characters, which would
 * upload a corrupted certificate.
 */
export function decodeBase64(data: string, rules: UploadRules, field = 'document.data'): Buffer {
  const compact = /[\r\n\t ]/.test(data) ? data.replace(/[\r\n\t ]+/g, '') : data;
  if (compact.startsWith('data:')) {
    throw inputInvalid(`Invalid input: ${field} must be plain base64, not a data: URI; drop the "data:…;base64," prefix.`);
  }
  // Checked on the encoded length first so a huge body is refused without decoding it.
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  assertSize(Math.floor((compact.length * 3) / 4) - padding, rules);
  // The same strict rules as the streaming path: one owner.
  const decoder = new Base64Decoder(field);
  decoder.write(compact);
  const bytes = decoder.end();
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
