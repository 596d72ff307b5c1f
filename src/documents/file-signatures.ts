import { filetypeinfo } from 'magic-bytes.js';
import { inputInvalid } from '../common/errors';
import { extensionOf } from './file-rules';

/**
 * Do the bytes match what the caller says the file is? The file name's extension
 * and the content type are both claims; each one that names a format with a
 * signature must match the first bytes (magic-bytes.js reads them), and a text
 * format must not be binary. Formats with neither (p7s, eps, fax, …) are not
 * checked. This catches a PNG or an error page sent as `application/pdf`
 * before the HRIS stores an unreadable certificate.
 */

const ZIP = ['zip']; // OOXML, OpenDocument, iWork and XPS files are ZIP containers
const OLE2 = ['doc', 'xls', 'ppt', 'msg']; // the legacy Office compound file, whatever its contents

/** Format (by extension) → the magic-bytes.js type names its first bytes may show. */
const SIGNATURES: Record<string, readonly string[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpg: ['jpg'],
  jpeg: ['jpg'],
  gif: ['gif'],
  bmp: ['bmp'],
  tif: ['tif', 'tiff'],
  tiff: ['tif', 'tiff'],
  zip: ZIP,
  docx: ZIP,
  xlsx: ZIP,
  pptx: ZIP,
  dotx: ZIP,
  odt: ZIP,
  ods: ZIP,
  odp: ZIP,
  odg: ZIP,
  pages: ZIP,
  numbers: ZIP,
  xps: ZIP,
  doc: OLE2,
  xls: OLE2,
  ppt: OLE2,
  msg: OLE2,
  rar: ['rar'],
  '7z': ['7z'],
  gz: ['gz'],
  rtf: ['rtf'],
};
const TEXT = new Set(['txt', 'csv', 'md', 'html', 'htm', 'xml', 'ics', 'vcf', 'asc']);

/** Content type → the format it names (only types whose format can be checked). */
const FORMAT_OF_TYPE: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/pjpeg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/tiff': 'tif',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.ms-outlook': 'msg',
  'application/rtf': 'rtf',
  'text/rtf': 'rtf',
  'application/gzip': 'gz',
  'application/x-gzip': 'gz',
  'application/x-7z-compressed': '7z',
  'application/vnd.rar': 'rar',
  'application/x-rar-compressed': 'rar',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

function formatOfType(contentType: string): string | null {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return FORMAT_OF_TYPE[type] ?? (type.startsWith('text/') ? 'txt' : null);
}

/** No NUL byte in the first 8 KB, unless a UTF-16/32 byte-order mark says the text is wide. */
function looksLikeText(head: Buffer): boolean {
  const bom = head.subarray(0, 2).toString('hex');
  return bom === 'fffe' || bom === 'feff' || !head.includes(0);
}

function matches(format: string, head: Buffer, detected: string[]): boolean {
  // PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000 §7.5.2, implementation note).
  if (format === 'pdf') return head.subarray(0, 1024).includes('%PDF-');
  if (TEXT.has(format)) return looksLikeText(head);
  return SIGNATURES[format].some((name) => detected.includes(name));
}

/**
 * Throws PLATFORM.INPUT_INVALID when the bytes are not the format the name or the content type claims.
 * `source` names the bytes' origin (`document.data`), `nameField` the field the file name came from.
 */
export function assertContentMatches(bytes: Buffer, fileName: string, contentType: string, source: string, nameField = 'document.name'): void {
  const head = bytes.subarray(0, 8192);
  const claims: Array<[format: string, claim: string]> = [];
  const ext = extensionOf(fileName);
  if (SIGNATURES[ext] || TEXT.has(ext)) claims.push([ext, `${nameField} ".${ext}"`]);
  const typed = formatOfType(contentType);
  if (typed) claims.push([typed, `content type ${contentType.split(';')[0].trim()}`]);
  if (claims.length === 0) return;
  const detected = filetypeinfo(head).map((t) => t.typename);
  for (const [format, claim] of claims) {
    if (matches(format, head, detected)) continue;
    const seen = detected.find((d) => Object.values(SIGNATURES).some((names) => names.includes(d)));
    const looks = seen ? `; its first bytes are those of a ${seen.toUpperCase()} file` : TEXT.has(format) ? '; it contains binary data' : '';
    throw inputInvalid(
      `Invalid input: ${source} is not a ${format.toUpperCase()} file as its ${claim} says${looks}. Send the file itself, with its real name and type.`,
    );
  }
}
