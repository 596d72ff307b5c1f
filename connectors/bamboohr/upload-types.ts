// BambooHR's file-upload limits as the gateway reads them (NOTES §4.11): the 20 MB cap is
// published (413 above it, read as 20 × 2^20 bytes, UNVERIFIED), the extension list is not, so
// these common office, image and archive types are the narrow reading. A fact about BambooHR that
// the connector checks before sending and the simulator enforces by default.
export const ALLOWED_EXTENSIONS: readonly string[] = [
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'rtf',
  'txt',
  'csv',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'zip',
];

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
