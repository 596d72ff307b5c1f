import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { DocumentUploadSettings } from '../src/documents/documents.settings';
import { certificatePdf, DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/**
 * Every input rule of POST …/documents answers PLATFORM.INPUT_INVALID with the
 * offending field named, before anything reaches Personio. This gateway runs
 * with ALLOW_PRIVATE_NETWORK_TARGETS off, as in production.
 */
describe('document write-back: input validation', () => {
  let w: DocumentsWorld;
  let files: Server;
  let filesUrl = '';
  let fileHits: string[] = [];
  const pdf = certificatePdf('Safety', '2025-01-01');
  // 40 MB of zeros behind a PDF header compress to about 40 KB.
  const bomb = gzipSync(Buffer.concat([pdf, Buffer.alloc(40 * 1024 * 1024)]));
  const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32, 1)]);
  const b64 = pdf.toString('base64');

  beforeAll(async () => {
    w = await startDocumentsWorld({ allowPrivateNetworkTargets: false });
    files = createServer((req, res) => {
      fileHits.push(req.url ?? '');
      if (req.url === '/cert.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      if (req.url === '/bomb.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf', 'content-encoding': 'gzip' }).end(bomb);
      if (req.url === '/compress.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf', 'content-encoding': 'compress' }).end(pdf);
      if (req.url === '/error-page.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end('<html><body>Access denied</body></html>');
      if (req.url === '/to-private-ip') return void res.writeHead(302, { location: 'http://10.0.0.7/secret.pdf' }).end();
      if (req.url === '/to-internal-name') return void res.writeHead(302, { location: `http://internal.corp.test:${port()}/cert.pdf` }).end();
      if (req.url === '/huge.pdf') {
        // 31 MB without Content-Length: only counting while streaming can stop it.
        res.writeHead(200, { 'content-type': 'application/pdf' });
        const chunk = Buffer.alloc(1024 * 1024, 1);
        let sent = 0;
        const push = () => {
          while (sent < 31 && res.write(chunk)) sent++;
          if (sent >= 31) res.end();
          else res.once('drain', () => (sent++, push()));
        };
        res.on('error', () => undefined);
        return push();
      }
      if (req.url === '/slow.pdf') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${port()}`;
  });
  afterAll(async () => {
    files?.closeAllConnections();
    if (files?.listening) await new Promise((r) => files.close(r));
    await w?.close();
  });
  const port = () => (files.address() as AddressInfo).port;
  const settings = () => w.gw.app.get(DocumentUploadSettings);

  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}, employee?: string) =>
    request(w.gw.url)
      .post(`/v1/hris/employees/${employee ?? w.employeeId(w.sandbox.employeeIds()[0])}/documents`)
      .set(w.auth)
      .set(headers)
      .send(body);
  const valid = (document: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    category_id: w.categoryId('Learning certificates'),
    document: { name: 'cert.pdf', content_type: 'application/pdf', data: b64, ...document },
    ...extra,
  });
  async function refused(body: Record<string, unknown>, message: RegExp, headers: Record<string, string> = {}, employee?: string): Promise<void> {
    const before = w.sandbox.uploadedDocuments().length;
    const res = await post(body, headers, employee);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'PLATFORM.INPUT_INVALID' });
    expect(res.body.error.message).toMatch(message);
    expect(w.sandbox.uploadedDocuments().length).toBe(before);
  }

  it.each([
    ['both data and data_url', { data_url: 'https://files.example.com/a.pdf' }, /exactly one of data.*both/],
    ['neither data nor data_url', { data: undefined }, /exactly one of data.*neither/],
    ['data without content_type', { content_type: undefined }, /document\.content_type is required/],
    ['a generic octet-stream content_type', { content_type: 'application/octet-stream' }, /generic/],
    ['a content_type that is not a MIME type', { content_type: 'pdf' }, /not a MIME type/],
    ['broken base64', { data: 'JVBERi0xLjQK$$$%%%' }, /not valid base64/],
    ['base64 with impossible length', { data: 'JVBERi0xL' }, /not valid base64/],
    ['a data: URI instead of base64', { data: `data:application/pdf;base64,${b64}` }, /data: URI/],
    ['an .exe file', { name: 'setup.exe', content_type: 'application/vnd.microsoft.portable-executable' }, /"\.exe".*Accepted types: pdf/],
    ['a name without extension', { name: 'certificate' }, /no file extension/],
    ['an empty file', { data: '' }, /empty/],
    [
      'PNG bytes sent as application/pdf',
      { data: PNG.toString('base64') },
      /document\.data is not a PDF file as its document\.name "\.pdf" says; its first bytes are those of a PNG file/,
    ],
    [
      'an HTML page named .pdf',
      { data: Buffer.from('<html>Sign in</html>').toString('base64'), content_type: 'text/html' },
      /document\.data is not a PDF file as its document\.name "\.pdf" says/,
    ],
    ['PDF bytes declared as image/png', { name: 'cert.png', content_type: 'image/png' }, /document\.data is not a PNG file/],
    [
      'binary data named .csv',
      { name: 'list.csv', content_type: 'text/csv', data: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]).toString('base64') },
      /not a CSV file.*ZIP/,
    ],
    ['a data_url that is not http(s)', { data: undefined, data_url: 'ftp://files.example.com/a.pdf' }, /http or https/],
    ['a data_url with credentials', { data: undefined, data_url: 'https://user:pw@files.example.com/a.pdf' }, /credentials/],
  ])('refuses %s', async (_, document, message) => {
    await refused(valid(document), message);
  });

  it.each([
    ['a title over 255 characters', { title: 'x'.repeat(256) }, /title must be shorter than or equal to 255/],
    ['an impossible date', { date: '2025-02-30' }, /date "2025-02-30" is not a date/],
    ['a date in another format', { date: '14.03.2025' }, /date must be a date in the form YYYY-MM-DD/],
    ['an unknown body field', { course: 'GDPR' }, /property course should not exist/],
    ['a missing category_id', { category_id: undefined }, /category_id/],
  ])('refuses %s', async (_, extra, message) => {
    await refused(valid({}, extra), message);
  });

  it('refuses a title header over 255 characters, bad percent-encoding and a malformed Idempotency-Key', async () => {
    await refused(valid(), /title has 256 characters/, { 'X-Document-Title': encodeURIComponent('ä'.repeat(256)) });
    await refused(valid(), /X-Document-Title header is not valid percent-encoded/, { 'X-Document-Title': '%E0%A4%A' });
    await refused(valid(), /Idempotency-Key header must be 1 to 255/, { 'Idempotency-Key': 'k'.repeat(256) });
    await refused(valid({}, { title: 'A' }), /given in the body and as a header/, { 'X-Document-Title': 'B' });
  });

  it('refuses an unknown employee and an unknown category of this integration', async () => {
    await refused(valid(), /no employee with the ID "NoSuchEmployee0000000000"/, {}, 'NoSuchEmployee0000000000');
    await refused(valid({}, { category_id: 'NoSuchCategory0000000000' }), /no document category with the ID "NoSuchCategory0000000000"/);
  });

  it("refuses a file of 30 MB or more and accepts one just under 30 MB (the route's body limit allows its base64)", async () => {
    const MB = 1024 * 1024;
    await refused(valid({ data: Buffer.alloc(31 * MB, 7).toString('base64') }), /31\.0 MB \(32505856 bytes\); the HRIS accepts files smaller than 30 MB/);
    // Personio refuses a file of exactly 30 MB: the connector's own limit says so, not a rule of the gateway.
    await refused(
      valid({ data: Buffer.concat([pdf, Buffer.alloc(30 * MB - pdf.length, 7)]).toString('base64') }),
      /\(31457280 bytes\); the HRIS accepts files smaller than 30 MB/,
    );
    const max = Buffer.concat([pdf, Buffer.alloc(30 * MB - 1024 - pdf.length, 9)]);
    const res = await post(valid({ data: max.toString('base64'), name: 'big.pdf' }));
    expect({ status: res.status, body: res.status === 200 ? null : res.body }).toEqual({ status: 200, body: null });
    expect(w.sandbox.uploadedDocuments().at(-1)!.bytes.length).toBe(max.length);
  });

  it('refuses a data_url to 127.0.0.1 without connecting to it', async () => {
    fileHits = [];
    await refused(valid({ data: undefined, data_url: `${filesUrl}/cert.pdf` }), /private or reserved address \(127\.0\.0\.1\)/);
    await refused(valid({ data: undefined, data_url: `http://[::1]:${port()}/cert.pdf` }), /private or reserved address/);
    await refused(valid({ data: undefined, data_url: 'http://169.254.169.254/latest/meta-data/' }), /private or reserved address \(169\.254\.169\.254\)/);
    expect(fileHits).toEqual([]);
  });

  describe('with 127.0.0.1 treated as a public host (the internet is out of reach in tests)', () => {
    beforeAll(() => {
      // Only the address policy changes: every other rule, and the real redirect/lookup code, stay as in production.
      settings().fetch.isAllowedAddress = (a) => a === '127.0.0.1';
      settings().fetch.resolve = async (host) => (host === 'internal.corp.test' ? ['10.1.2.3'] : host === '127.0.0.1' ? ['127.0.0.1'] : []);
    });
    afterAll(() => {
      delete settings().fetch.isAllowedAddress;
      delete settings().fetch.resolve;
      settings().fetch.timeoutMs = 30_000;
    });

    it('downloads from the allowed host (the policy hook itself works)', async () => {
      await post(valid({ data: undefined, data_url: `${filesUrl}/cert.pdf` })).expect(200);
      expect(Buffer.compare(w.sandbox.uploadedDocuments().at(-1)!.bytes, pdf)).toBe(0);
    });

    it('refuses a redirect to a private IP and to a name that resolves to one, re-checking every hop', async () => {
      await refused(valid({ data: undefined, data_url: `${filesUrl}/to-private-ip` }), /private or reserved address \(10\.0\.0\.7\)/);
      await refused(valid({ data: undefined, data_url: `${filesUrl}/to-internal-name` }), /private or reserved address \(10\.1\.2\.3\)/);
    });

    it('stops a download at the 30 MB cap while it streams', async () => {
      await refused(valid({ data: undefined, data_url: `${filesUrl}/huge.pdf` }), /too large; the HRIS accepts files smaller than 30 MB/);
    });

    it('counts the decoded bytes against the limit (a small gzip body that inflates past it) and refuses encodings it cannot decode', async () => {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      await refused(valid({ data: undefined, data_url: `${filesUrl}/bomb.pdf` }), /too large; the HRIS accepts files smaller than 30 MB/);
      await refused(valid({ data: undefined, data_url: `${filesUrl}/compress.pdf` }), /Content-Encoding "compress", which the gateway cannot decode/);
    });

    it('refuses a downloaded file whose bytes are not the declared type', async () => {
      await refused(valid({ data: undefined, data_url: `${filesUrl}/error-page.pdf` }), /the file at document\.data_url is not a PDF file/);
    });

    it('refuses a data_url that answers 404 or not at all', async () => {
      await refused(valid({ data: undefined, data_url: `${filesUrl}/missing.pdf` }), /answered HTTP 404/);
      settings().fetch.timeoutMs = 300;
      await refused(valid({ data: undefined, data_url: `${filesUrl}/slow.pdf` }), /did not deliver the file in time/);
    });
  });
});
