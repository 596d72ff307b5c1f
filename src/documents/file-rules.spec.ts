import { ConnectorError } from '../../connectors/connector';
import { prepareDocumentRequest } from './document-request';
import { AddEmployeeDocumentDto } from './documents.dto';
import { assertCalendarDate, decodeBase64, PERSONIO_RULES } from './file-rules';
import { notProcessed } from './upload-sender';

describe('document input rules', () => {
  const bytes = Buffer.from('%PDF-1.4 certificate of completion\n'.repeat(10));

  it('accepts MIME-wrapped base64 and decodes it byte-identical', () => {
    const wrapped = bytes.toString('base64').replace(/(.{76})/g, '$1\r\n');
    expect(Buffer.compare(decodeBase64(wrapped, PERSONIO_RULES), bytes)).toBe(0);
  });

  it.each(['YWJjZ', 'ab=c', 'YWJj=', '####', 'YW Jj$'])('refuses the broken base64 %j instead of decoding it leniently', (s) => {
    expect(() => decodeBase64(s, PERSONIO_RULES)).toThrow(/not valid base64/);
  });

  it('refuses impossible calendar days', () => {
    expect(() => assertCalendarDate('2024-02-30', 'date')).toThrow(/not a date/);
    expect(assertCalendarDate('2024-02-29', 'date')).toBe('2024-02-29');
  });

  it('treats a re-signed data_url to the same object as the same request, and another title as a different one', () => {
    const body = (url: string, title?: string) =>
      Object.assign(new AddEmployeeDocumentDto(), { category_id: 'c', title, document: { name: 'a.pdf', data_url: url } }) as AddEmployeeDocumentDto;
    const hash = (url: string, title?: string) => prepareDocumentRequest('e', body(url, title), {}, PERSONIO_RULES).requestHash;
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
});
