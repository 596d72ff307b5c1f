import { ConnectorError } from '../../connectors/connector';
import { prepareDocumentRequest } from './document-request';
import { AddEmployeeDocumentDto } from './documents.dto';
import { assertCalendarDate, decodeBase64, describeSizeLimit, UploadRules } from './file-rules';
import { assertContentMatches } from './file-signatures';
import { notProcessed } from './upload-sender';

const RULES: UploadRules = { extensions: ['pdf', 'png', 'txt'], maxBytes: 30 * 1024 * 1024 - 1, maxTitleLength: 255 };

describe('document input rules', () => {
  const bytes = Buffer.from('%PDF-1.4 certificate of completion\n'.repeat(10));

  it('accepts MIME-wrapped base64 and decodes it byte-identical', () => {
    const wrapped = bytes.toString('base64').replace(/(.{76})/g, '$1\r\n');
    expect(Buffer.compare(decodeBase64(wrapped, RULES), bytes)).toBe(0);
  });

  it.each(['YWJjZ', 'ab=c', 'YWJj=', '####', 'YW Jj$'])('refuses the broken base64 %j instead of decoding it leniently', (s) => {
    expect(() => decodeBase64(s, RULES)).toThrow(/not valid base64/);
  });

  it('refuses impossible calendar days', () => {
    expect(() => assertCalendarDate('2024-02-30', 'date')).toThrow(/not a date/);
    expect(assertCalendarDate('2024-02-29', 'date')).toBe('2024-02-29');
  });

  it('treats a re-signed data_url to the same object as the same request, and another title as a different one', () => {
    const body = (url: string, title?: string) =>
      Object.assign(new AddEmployeeDocumentDto(), { category_id: 'c', title, document: { name: 'a.pdf', data_url: url } }) as AddEmployeeDocumentDto;
    const hash = (url: string, title?: string) => prepareDocumentRequest('e', body(url, title), {}, RULES).requestHash;
    expect(hash('https://s3.example.com/a.pdf?X-Amz-Signature=1')).toBe(hash('https://s3.example.com/a.pdf?X-Amz-Signature=2'));
    expect(hash('https://s3.example.com/a.pdf')).not.toBe(hash('https://s3.example.com/b.pdf'));
    expect(hash('https://s3.example.com/a.pdf', 'One')).not.toBe(hash('https://s3.example.com/a.pdf', 'Two'));
  });

  it('resends only what Personio certainly did not process', () => {
    expect(notProcessed(new ConnectorError('RATE_LIMITED', 'x', { status: 429 }))).toBe(true);
    expect(notProcessed(new ConnectorError('UPSTREAM_UNAVAILABLE', 'x', { status: 503 }))).toBe(true);
    expect(notProcessed(new ConnectorError('UPSTREAM_UNAVAILABLE', 'x', { status: 500 }))).toBe(false);
    expect(notProcessed(new ConnectorError('UPSTREAM_UNAVAILABLE', 'dropped'))).toBe(false);
  });

  it('describes a limit of "less than 30 MiB" as smaller than 30 MB', () => {
    expect(describeSizeLimit(30 * 1024 * 1024 - 1)).toBe('smaller than 30 MB');
    expect(describeSizeLimit(10 * 1024 * 1024)).toBe('at most 10 MB');
  });
});

describe('file signatures', () => {
  const hex = (h: string, pad = 64) => Buffer.concat([Buffer.from(h, 'hex'), Buffer.alloc(pad, 0x41)]);
  const files: Array<[string, string, Buffer]> = [
    ['cert.pdf', 'application/pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj')],
    ['cert.pdf', 'application/pdf', Buffer.concat([Buffer.from('\r\n  '), Buffer.from('%PDF-1.4\n')])],
    ['photo.png', 'image/png', hex('89504e470d0a1a0a0000000d49484452')],
    ['photo.jpg', 'image/jpeg', hex('ffd8ffe000104a464946')],
    ['scan.tiff', 'image/tiff', hex('4d4d002a')],
    ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', hex('504b030414000600')],
    ['old.doc', 'application/msword', hex('d0cf11e0a1b11ae1')],
    ['notes.txt', 'text/plain; charset=utf-8', Buffer.from('Kurs abgeschlossen ✓\n')],
    ['notes.txt', 'text/plain', Buffer.concat([Buffer.from('fffe', 'hex'), Buffer.from('hi', 'utf16le')])],
    ['sig.p7s', 'application/pkcs7-signature', hex('3082')],
  ];
  it.each(files)('accepts %s as %s', (name, type, bytes) => {
    expect(() => assertContentMatches(bytes, name, type, 'document.data')).not.toThrow();
  });

  it.each([
    ['cert.pdf', 'application/pdf', hex('89504e470d0a1a0a'), /not a PDF file as its document\.name "\.pdf" says; its first bytes are those of a PNG file/],
    ['cert.pdf', 'application/pdf', Buffer.from('<!doctype html><title>403</title>'), /not a PDF file/],
    ['cert.bin.png', 'image/png', Buffer.from('%PDF-1.4\n'), /not a PNG file/],
    ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', hex('d0cf11e0a1b11ae1'), /not a DOCX file.*DOC file/],
    ['list.csv', 'text/csv', hex('1f8b0800'), /not a CSV file.*GZ file/],
    ['cert.pdf', 'image/jpeg', Buffer.from('%PDF-1.4\n'), /not a JPG file as its content type image\/jpeg says/],
  ])('refuses %s declared %s with other bytes', (name, type, bytes, message) => {
    expect(() => assertContentMatches(bytes, name, type, 'document.data')).toThrow(message);
  });
});
