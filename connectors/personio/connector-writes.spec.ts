// The Personio connector against the Personio sandbox over real HTTP, beyond
// reads: uploads map Personio's answers to typed errors, passthrough is confined
// to /v1 and never leaks the token, attributes list what the credential may read.
import { connector, usePersonioEnv } from './connector.spec-env';
import { ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES } from './sandbox';

const env = usePersonioEnv();
const { ctxFor, authCalls } = env;

describe('documents', () => {
  const pdf = Buffer.from('%PDF-1.4\n% certificate\n');

  it('lists categories and uploads a certificate', async () => {
    const ctx = ctxFor();
    const categories = await connector.documentCategories(ctx);
    expect(categories.length).toBeGreaterThan(0);
    const employeeId = String(env.sb.employeeIds()[0]);
    const res = await connector.uploadDocument(ctx, employeeId, {
      fileName: 'certificate.pdf',
      contentType: 'application/pdf',
      bytes: pdf,
      categoryRemoteId: categories[0].remote_id,
      title: 'Course: Fire safety',
      comment: 'Completed',
      date: new Date('2025-05-02T12:00:00Z'),
    });
    expect(res.remote_id).toMatch(/^\d+$/);
    const stored = env.sb.uploadedDocuments().find((d) => String(d.id) === res.remote_id)!;
    expect(stored).toMatchObject({
      employeeId: Number(employeeId),
      title: 'Course: Fire safety',
      comment: 'Completed',
      date: '2025-05-02',
      fileName: 'certificate.pdf',
    });
    expect(Buffer.compare(stored.bytes, pdf)).toBe(0);
  });

  it('maps unknown employee to NOT_FOUND and a refused file to UPSTREAM_INVALID_INPUT with Personio’s message', async () => {
    const ctx = ctxFor();
    const [category] = await connector.documentCategories(ctx);
    const doc = { fileName: 'c.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: category.remote_id, title: 'x' };
    await expect(connector.uploadDocument(ctx, '999999999', doc)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    const err = await connector.uploadDocument(ctx, String(env.sb.employeeIds()[0]), { ...doc, fileName: 'virus.exe' }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT', details: { status: 422 } });
    expect(err.message).toMatch(/file/i);
  });

  it('declares the upload rules the simulator enforces: its extension list, and a size limit just under 30 MiB that it accepts', async () => {
    expect(connector.uploadRules.extensions).toEqual(ALLOWED_EXTENSIONS);
    expect(connector.uploadRules.maxBytes).toBe(MAX_UPLOAD_BYTES - 1);
    const ctx = ctxFor();
    const [category] = await connector.documentCategories(ctx);
    const largest = Buffer.concat([pdf, Buffer.alloc(connector.uploadRules.maxBytes - pdf.length, 1)]);
    const res = await connector.uploadDocument(ctx, String(env.sb.employeeIds()[0]), {
      fileName: 'big.pdf',
      contentType: 'application/pdf',
      bytes: largest,
      categoryRemoteId: category.remote_id,
      title: 'Big',
    });
    expect(env.sb.uploadedDocuments().find((d) => String(d.id) === res.remote_id)!.bytes.length).toBe(largest.length);
  });

  it('reports a missing documents permission as PERMISSION_MISSING', async () => {
    const c = env.sb.addCredential();
    env.sb.setWhitelist(c.clientId, 'all', ['employees:read', 'documents:read']);
    const doc = { fileName: 'c.pdf', contentType: 'application/pdf', bytes: pdf, categoryRemoteId: '1', title: 'x' };
    await expect(connector.uploadDocument(ctxFor(c), String(env.sb.employeeIds()[0]), doc)).rejects.toMatchObject({ kind: 'PERMISSION_MISSING' });
  });
});

describe('passthrough and attributes', () => {
  it('forwards a request below /v1 and hides the rotated token header', async () => {
    const r = await connector.passthrough(ctxFor(), { method: 'GET', path: '/company/employees', params: { limit: 2 } });
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${env.sb.url}/v1/company/employees?limit=2`);
    expect((r.data as { data: unknown[] }).data).toHaveLength(2);
    expect(Object.keys(r.headers)).not.toContain('authorization');
  });

  it('returns upstream errors as data and refuses absolute URLs', async () => {
    const r = await connector.passthrough(ctxFor(), { method: 'GET', path: '/v1/company/employees/999999999' });
    expect(r.status).toBe(404);
    await expect(connector.passthrough(ctxFor(), { method: 'GET', path: 'https://evil.example/x' })).rejects.toMatchObject({ kind: 'INVALID_REQUEST' });
  });

  it('normalises the path with the URL parser before checking it: encoded dot segments cannot reach /v1/auth', async () => {
    const c = env.sb.addCredential();
    const ctx = ctxFor(c);
    await connector.passthrough(ctx, { method: 'GET', path: '/company/employees', params: { limit: 1 } }); // token fetched once
    const before = authCalls(c.clientId);
    for (const path of [
      '/company/%2e%2e/auth',
      '/company/.%2E/auth',
      '/v1/company/%2e%2e/%2e%2e/v1/auth?x=1',
      '/%2E%2E/auth',
      '/company/..%2fauth',
      '/company\\..\\auth',
    ]) {
      await expect(connector.passthrough(ctx, { method: 'POST', path, body: { client_id: c.clientId } })).rejects.toMatchObject({ kind: 'INVALID_REQUEST' });
    }
    expect(authCalls(c.clientId)).toBe(before);
    // What is sent is the normalised path, the one that was checked.
    const r = await connector.passthrough(ctx, { method: 'GET', path: '/company/attendances/%2e%2e/employees?limit=1' });
    expect({ status: r.status, url: r.url }).toEqual({ status: 200, url: `${env.sb.url}/v1/company/employees?limit=1` });
  });

  it('does not send or retry a request that cannot be sent (invalid header name, GET with a body): the caller gets INVALID_REQUEST at once', async () => {
    const c = env.sb.addCredential();
    const sent = () => env.sb.requestLog().filter((r) => r.clientId === c.clientId && r.path !== '/v1/auth').length;
    await expect(connector.passthrough(ctxFor(c), { method: 'GET', path: '/company/employees', headers: { 'bad header': 'x' } })).rejects.toMatchObject({
      kind: 'INVALID_REQUEST',
      message: expect.stringContaining('ERR_INVALID_HTTP_TOKEN'),
    });
    await expect(connector.passthrough(ctxFor(c), { method: 'GET', path: '/company/employees', body: { filter: 'x' } })).rejects.toMatchObject({
      kind: 'INVALID_REQUEST',
      message: expect.stringContaining('GET request has no body'),
    });
    expect(sent()).toBe(0);
    expect(env.logLines.filter((l) => l.includes('retrying'))).toEqual([]);
  });

  it('lists the attributes the credential may read', async () => {
    const attrs = await connector.listAttributes(ctxFor());
    expect(attrs.find((a) => a.key === 'first_name')).toMatchObject({ label: expect.any(String), type: 'standard' });
    expect(attrs.some((a) => a.key.startsWith('dynamic_'))).toBe(true);
  });
});
