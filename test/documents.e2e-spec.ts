import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Kombo } from '@kombo-api/sdk';
import request from 'supertest';
import { sha256Hex, stableId } from '../src/common/ids';
import { DocumentUploadsStore } from '../src/documents/document-uploads.store';
import { DocumentUploadSettings } from '../src/documents/documents.settings';
import { certificatePdf, DocumentsWorld, startDocumentsWorld } from './documents.helpers';

/**
 * Certificates pushed into Personio through the gateway: Kombo's SDK works
 * unchanged, the file arrives byte-identical with its metadata, retries with an
 * Idempotency-Key never upload twice, and upstream refusals keep Kombo's codes.
 */
describe('document write-back', () => {
  let w: DocumentsWorld;
  let files: Server;
  let filesUrl = '';
  const pdf = certificatePdf('GDPR basics', '2025-03-14');

  beforeAll(async () => {
    w = await startDocumentsWorld({ timeScale: 60 });
    files = createServer((req, res) => {
      if (req.url?.startsWith('/cert.pdf')) return void res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
      if (req.url === '/octet.pdf') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pdf);
      // A bucket object stored compressed is served with Content-Encoding whatever the client asked for.
      if (req.url === '/gzipped.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf', 'content-encoding': 'gzip' }).end(gzipSync(pdf));
      if (req.url === '/brotli.pdf')
        return void res.writeHead(200, { 'content-type': 'application/pdf', 'content-encoding': 'br' }).end(brotliCompressSync(pdf));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (files?.listening) await new Promise((r) => files.close(r));
    await w?.close();
  });

  const post = (employeeRemote: number, body: unknown, headers: Record<string, string> = {}) =>
    request(w.gw.url)
      .post(`/v1/hris/employees/${w.employeeId(employeeRemote)}/documents`)
      .set(w.auth)
      .set(headers)
      .send(body as object);

  it('accepts a certificate through @kombo-api/sdk and Personio stores it byte-identical with title, comment and date', async () => {
    const sdk = new Kombo({ api_key: w.gw.apiKey, integration_id: w.integrationId, server_url: `${w.gw.url}/v1` });
    const [remote] = w.sandbox.employeeIds();
    const res = await sdk.hris.addEmployeeDocument(
      {
        employee_id: w.employeeId(remote),
        body: {
          category_id: w.categoryId('Learning certificates'),
          document: { name: 'GDPR basics.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
        },
      },
      {
        headers: {
          'X-Document-Title': encodeURIComponent('Zertifikat: Datenschutz für Einsteiger'),
          'X-Document-Comment': encodeURIComponent('Kurs abgeschlossen ✓'),
          'X-Document-Date': '2025-03-14',
        },
      },
    );
    expect(res.status).toBe('success');
    const stored = w.sandbox.uploadedDocuments();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      employeeId: remote,
      categoryId: w.categoryRemoteId('Learning certificates'),
      title: 'Zertifikat: Datenschutz für Einsteiger',
      comment: 'Kurs abgeschlossen ✓',
      date: '2025-03-14',
      fileName: 'GDPR basics.pdf',
      contentType: 'application/pdf',
    });
    expect(Buffer.compare(stored[0].bytes, pdf)).toBe(0);
  });

  it('takes title, comment and date in the body too, and answers with the Personio document id', async () => {
    const [, remote] = w.sandbox.employeeIds();
    const res = await post(remote, {
      category_id: w.categoryId('Other documents'),
      title: 'Fire safety',
      comment: 'Annual refresher',
      date: '2025-04-01',
      document: { name: 'fire-safety.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    }).expect(200);
    const doc = w.sandbox.uploadedDocuments().at(-1)!;
    expect(res.body).toEqual({ status: 'success', data: { upload_id: expect.any(String), remote_id: String(doc.id) }, warnings: [] });
    expect(doc).toMatchObject({
      employeeId: remote,
      categoryId: w.categoryRemoteId('Other documents'),
      title: 'Fire safety',
      comment: 'Annual refresher',
      date: '2025-04-01',
    });
  });

  it('defaults the title to the file name without extension', async () => {
    const [remote] = w.sandbox.employeeIds();
    await post(remote, {
      category_id: w.categoryId('Other documents'),
      document: { name: 'Forklift license.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    }).expect(200);
    expect(w.sandbox.uploadedDocuments().at(-1)!.title).toBe('Forklift license');
  });

  it('downloads a data_url and uses its Content-Type; a generic one falls back to the extension with a warning', async () => {
    const [remote] = w.sandbox.employeeIds();
    await post(remote, {
      category_id: w.categoryId('Other documents'),
      document: { name: 'from-url.pdf', data_url: `${filesUrl}/cert.pdf?X-Amz-Signature=abc` },
    }).expect(200);
    const doc = w.sandbox.uploadedDocuments().at(-1)!;
    expect(Buffer.compare(doc.bytes, pdf)).toBe(0);
    expect(doc.contentType).toBe('application/pdf');
    const res = await post(remote, { category_id: w.categoryId('Other documents'), document: { name: 'octet.pdf', data_url: `${filesUrl}/octet.pdf` } }).expect(
      200,
    );
    expect(res.body.warnings).toEqual([{ message: expect.stringContaining('application/pdf') }]);
  });

  it('uploads the decoded file when the data_url answers with a Content-Encoding', async () => {
    const [remote] = w.sandbox.employeeIds();
    for (const path of ['gzipped.pdf', 'brotli.pdf']) {
      await post(remote, { category_id: w.categoryId('Other documents'), document: { name: path, data_url: `${filesUrl}/${path}` } }).expect(200);
      expect({ path, identical: Buffer.compare(w.sandbox.uploadedDocuments().at(-1)!.bytes, pdf) === 0 }).toEqual({ path, identical: true });
    }
  });

  it('replays the first outcome for a retry with the same Idempotency-Key and refuses the key with another body', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = {
      category_id: w.categoryId('Learning certificates'),
      document: { name: 'once.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    };
    const before = w.sandbox.uploadedDocuments().length;
    const counted = async (outcome: string) =>
      Number(new RegExp(`hgw_document_uploads_total\\{outcome="${outcome}"\\} (\\d+)`).exec((await request(w.gw.url).get('/metrics')).text)?.[1] ?? 0);
    const [succeeded, replayed] = [await counted('succeeded'), await counted('replayed')];
    const first = await post(remote, body, { 'Idempotency-Key': 'cert-once-1' }).expect(200);
    const again = await post(remote, body, { 'Idempotency-Key': 'cert-once-1' }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(w.sandbox.uploadedDocuments().length).toBe(before + 1);
    expect([await counted('succeeded'), await counted('replayed')]).toEqual([succeeded + 1, replayed + 1]);
    const other = await post(remote, { ...body, title: 'Different' }, { 'Idempotency-Key': 'cert-once-1' }).expect(409);
    expect(other.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID', message: expect.stringContaining('different request body') });
  });

  it('waits for a concurrent request with the same key instead of uploading twice', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = {
      category_id: w.categoryId('Learning certificates'),
      document: { name: 'race.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    };
    const before = w.sandbox.uploadedDocuments().length;
    const answers = await Promise.all([1, 2, 3].map(() => post(remote, body, { 'Idempotency-Key': 'race-1' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.data.upload_id)).size).toBe(1);
    expect(w.sandbox.uploadedDocuments().length).toBe(before + 1);
  });

  it('finds a category created in Personio after the last sync', async () => {
    const fresh = w.sandbox.addDocumentCategory('Compliance trainings');
    const [remote] = w.sandbox.employeeIds();
    await post(remote, {
      category_id: stableId(w.integrationId, 'employee_document_categories', String(fresh.id)),
      document: { name: 'c.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    }).expect(200);
    expect(w.sandbox.uploadedDocuments().at(-1)!.categoryId).toBe(fresh.id);
  });

  it('maps an employee deleted in Personio to REMOTE.INPUT_INVALID and does not replay it as success', async () => {
    const gone = w.sandbox.hire({});
    await w.gw.ds.query(`INSERT INTO hris_employees (integration_id, id, remote_id, data, data_hash, changed_at) VALUES ($1, $2, $3, '{}', $4, now())`, [
      w.integrationId,
      stableId(w.integrationId, 'employees', String(gone.id)),
      String(gone.id),
      sha256Hex('{}'),
    ]);
    w.sandbox.remove(gone.id);
    const body = { category_id: w.categoryId('Other documents'), document: { name: 'x.pdf', content_type: 'application/pdf', data: pdf.toString('base64') } };
    const res = await post(gone.id, body, { 'Idempotency-Key': 'gone-1' }).expect(400);
    expect(res.body.error.code).toBe('REMOTE.INPUT_INVALID');
    const again = await post(gone.id, body, { 'Idempotency-Key': 'gone-1' }).expect(400);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('maps Personio 503s that outlast the retries to a retriable REMOTE.SERVICE_UNAVAILABLE; a retry with the key then succeeds once', async () => {
    const [remote] = w.sandbox.employeeIds();
    const before = w.sandbox.uploadedDocuments().length;
    const body = {
      category_id: w.categoryId('Other documents'),
      document: { name: 'flaky.pdf', content_type: 'application/pdf', data: pdf.toString('base64') },
    };
    w.sandbox.setFaults({ uploadFailureRate: 1 });
    try {
      const res = await post(remote, body, { 'Idempotency-Key': 'flaky-1' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('REMOTE.SERVICE_UNAVAILABLE');
    } finally {
      w.sandbox.resetFaults();
    }
    await post(remote, body, { 'Idempotency-Key': 'flaky-1' }).expect(200);
    await post(remote, body, { 'Idempotency-Key': 'flaky-1' }).expect(200);
    expect(w.sandbox.uploadedDocuments().length).toBe(before + 1);
  });

  it('lists uploads with size, hash, key and outcome, never the file content', async () => {
    const res = await request(w.gw.url).get('/v1/hris/document-uploads').query({ idempotency_key: 'cert-once-1' }).set(w.auth).expect(200);
    expect(res.body.data.results).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        size_bytes: pdf.length,
        idempotency_key: 'cert-once-1',
        file_name: 'once.pdf',
        error: null,
        remote_id: expect.any(String),
      }),
    ]);
    expect(res.body.data.results[0].sha256).toBe(sha256Hex(pdf));
    const page1 = await request(w.gw.url).get('/v1/hris/document-uploads').query({ page_size: 3 }).set(w.auth).expect(200);
    const page2 = await request(w.gw.url).get('/v1/hris/document-uploads').query({ page_size: 3, cursor: page1.body.data.next }).set(w.auth).expect(200);
    const ids = [...page1.body.data.results, ...page2.body.data.results].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(6);
    const failed = await request(w.gw.url).get('/v1/hris/document-uploads').query({ status: 'FAILED' }).set(w.auth).expect(200);
    expect(failed.body.data.results[0].error).toMatchObject({ code: 'REMOTE.INPUT_INVALID', retriable: false });
    const rows: unknown[] = await w.gw.ds.query('SELECT * FROM document_uploads');
    expect(JSON.stringify(rows)).not.toContain(pdf.toString('base64').slice(0, 40));
    expect(JSON.stringify(rows)).not.toContain('X-Amz-Signature');
  });

  // An upload is not idempotent in Personio: once a send may have reached it, no retry may send the document again.
  const documentPosts = () => w.sandbox.requestLog().filter((e) => e.method === 'POST' && e.path.startsWith('/v1/company/documents')).length;
  const uploadWithKey = async (key: string): Promise<Record<string, unknown>> =>
    (
      await w.gw.ds.query(
        `SELECT status, remote_id, error_code, error_message, retriable, attempts FROM document_uploads WHERE integration_id = $1 AND idempotency_key = $2`,
        [w.integrationId, key],
      )
    )[0];
  /** The next `times` saves of a SUCCEEDED outcome fail as in a database blip; every other save works. */
  const failSuccessSaves = (times: number) => {
    const real = DocumentUploadsStore.prototype.complete;
    let left = times;
    return jest.spyOn(DocumentUploadsStore.prototype, 'complete').mockImplementation(function (this: DocumentUploadsStore, id, outcome) {
      if (outcome.status === 'SUCCEEDED' && left-- > 0) return Promise.reject(new Error('Connection terminated unexpectedly'));
      return real.call(this, id, outcome);
    });
  };
  const certificate = (name: string) => ({
    category_id: w.categoryId('Learning certificates'),
    document: { name, content_type: 'application/pdf', data: pdf.toString('base64') },
  });

  it('saves an accepted upload as SUCCEEDED after a database blip instead of failing it, so a retry with the key does not upload again', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = certificate('blip.pdf');
    const before = documentPosts();
    const saves = failSuccessSaves(2);
    let first: request.Response;
    try {
      first = await post(remote, body, { 'Idempotency-Key': 'blip-1' });
    } finally {
      saves.mockRestore();
    }
    const doc = w.sandbox.uploadedDocuments().at(-1)!;
    expect({ status: first.status, body: first.body }).toEqual({
      status: 200,
      body: { status: 'success', data: { upload_id: expect.any(String), remote_id: String(doc.id) }, warnings: [] },
    });
    expect(await uploadWithKey('blip-1')).toMatchObject({ status: 'SUCCEEDED', remote_id: String(doc.id), error_code: null, attempts: 1 });
    const again = await post(remote, body, { 'Idempotency-Key': 'blip-1' }).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
    expect(documentPosts()).toBe(before + 1);
  });

  it('answers "uploaded, not recorded, do not send again" when the outcome cannot be saved at all, and a retry with the key never uploads again', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = certificate('lost.pdf');
    const settings = w.gw.app.get(DocumentUploadSettings);
    const baseDelay = settings.recordRetryBaseDelayMs;
    settings.recordRetryBaseDelayMs = 5;
    const before = documentPosts();
    const saves = failSuccessSaves(Infinity);
    const successSaves = () => saves.mock.calls.filter(([, o]) => o.status === 'SUCCEEDED').length;
    let message: string;
    try {
      const res = await post(remote, body, { 'Idempotency-Key': 'lost-1' });
      const doc = w.sandbox.uploadedDocuments().at(-1)!;
      expect(doc.fileName).toBe('lost.pdf');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        status: 'error',
        error: {
          code: 'PLATFORM.UNKNOWN_ERROR',
          title: expect.any(String),
          message: expect.stringContaining(`The document was uploaded to the HRIS (document id ${doc.id}), but the gateway could not record the upload`),
          log_url: null,
        },
      });
      message = res.body.error.message;
      expect(message).toContain('do not send it again');
      expect(successSaves()).toBe(settings.recordAttempts);
      // Never a retriable failure: the record keeps saying a send happened, which no retry sends again.
      expect(await uploadWithKey('lost-1')).toMatchObject({ status: 'PENDING', error_code: null, retriable: false, attempts: 1 });
      // Still no database: the retry tries to save the outcome once more, and answers the same.
      const retry = await post(remote, body, { 'Idempotency-Key': 'lost-1' }).expect(500);
      expect(retry.body.error).toMatchObject({ code: 'PLATFORM.UNKNOWN_ERROR', message });
      expect(successSaves()).toBe(2 * settings.recordAttempts);
    } finally {
      saves.mockRestore();
      settings.recordRetryBaseDelayMs = baseDelay;
    }
    // The database is back: the retry saves the outcome and answers it, still without a second upload.
    const doc = w.sandbox.uploadedDocuments().at(-1)!;
    const later = await post(remote, body, { 'Idempotency-Key': 'lost-1' }).expect(200);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body.data).toEqual({ upload_id: expect.any(String), remote_id: String(doc.id) });
    expect(await uploadWithKey('lost-1')).toMatchObject({ status: 'SUCCEEDED', remote_id: String(doc.id), retriable: false });
    expect(documentPosts()).toBe(before + 1);
    expect(w.sandbox.uploadedDocuments().filter((d) => d.fileName === 'lost.pdf')).toHaveLength(1);
  });

  it('never sends an abandoned upload again once it had started sending: a retry answers that its outcome is unknown', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = certificate('died.pdf');
    await post(remote, body, { 'Idempotency-Key': 'died-1' }).expect(200);
    // Its process died after sending and before recording the outcome (or lost its database): PENDING, one send, the lease run out.
    await w.gw.ds.query(
      `UPDATE document_uploads SET status = 'PENDING', remote_id = NULL, completed_at = NULL, lease_expires_at = clock_timestamp() - interval '1 second'
        WHERE integration_id = $1 AND idempotency_key = $2`,
      [w.integrationId, 'died-1'],
    );
    const before = documentPosts();
    const res = await post(remote, body, { 'Idempotency-Key': 'died-1' }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'PLATFORM.INPUT_INVALID', message: expect.stringContaining('the outcome is unknown') });
    expect(res.body.error.message).toContain('use a new Idempotency-Key');
    expect(await uploadWithKey('died-1')).toMatchObject({
      status: 'FAILED',
      error_code: 'PLATFORM.INPUT_INVALID',
      error_message: res.body.error.message,
      retriable: false,
      attempts: 1,
    });
    const again = await post(remote, body, { 'Idempotency-Key': 'died-1' }).expect(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.error).toEqual(res.body.error);
    expect(documentPosts()).toBe(before);
    const log = await request(w.gw.url).get('/v1/hris/document-uploads').query({ idempotency_key: 'died-1' }).set(w.auth).expect(200);
    expect(log.body.data.results[0]).toMatchObject({
      status: 'FAILED',
      error: { code: 'PLATFORM.INPUT_INVALID', message: res.body.error.message, retriable: false },
    });
  });

  it('takes over an abandoned upload that died before sending anything', async () => {
    const [remote] = w.sandbox.employeeIds();
    const body = certificate('slow.pdf');
    await post(remote, body, { 'Idempotency-Key': 'slow-1' }).expect(200);
    // Its process died while fetching the file: PENDING, nothing sent, the lease run out.
    await w.gw.ds.query(
      `UPDATE document_uploads SET status = 'PENDING', remote_id = NULL, completed_at = NULL, attempts = 0, lease_expires_at = clock_timestamp() - interval '1 second'
        WHERE integration_id = $1 AND idempotency_key = $2`,
      [w.integrationId, 'slow-1'],
    );
    const before = documentPosts();
    const res = await post(remote, body, { 'Idempotency-Key': 'slow-1' }).expect(200);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.body.data.remote_id).toBe(String(w.sandbox.uploadedDocuments().at(-1)!.id));
    expect(documentPosts()).toBe(before + 1);
    expect(await uploadWithKey('slow-1')).toMatchObject({ status: 'SUCCEEDED', attempts: 1 });
  });
});

describe('document write-back: integration state and permissions', () => {
  it('answers INTEGRATION.SETUP_SYNC_PENDING before the first sync, and INTEGRATION.PERMISSION_MISSING without documents:write', async () => {
    const w = await startDocumentsWorld({ firstSyncDone: false, credential: { scopes: ['employees:read', 'documents:read'] } });
    try {
      const [remote] = w.sandbox.employeeIds();
      const body = { category_id: w.categoryId('Other documents'), document: { name: 'x.pdf', content_type: 'application/pdf', data: 'JVBERi0=' } };
      const url = `/v1/hris/employees/${w.employeeId(remote)}/documents`;
      const pending = await request(w.gw.url).post(url).set(w.auth).send(body).expect(409);
      expect(pending.body.error.code).toBe('INTEGRATION.SETUP_SYNC_PENDING');
      await w.gw.ds.query(`UPDATE integrations SET first_sync_completed_at = now(), setup_status = 'COMPLETED'`);
      const denied = await request(w.gw.url).post(url).set(w.auth).send(body).expect(403);
      expect(denied.body.error.code).toBe('INTEGRATION.PERMISSION_MISSING');
      expect(JSON.stringify(denied.body)).not.toMatch(/papi-|secret/i);
      expect(w.gw.logs().join('\n')).not.toContain(w.credential.clientSecret);
    } finally {
      await w.close();
    }
  });
});
