// BambooClient against a tiny local server: what goes over the wire (Basic auth, Accept,
// gateway path), how statuses become ConnectorError kinds with BambooHR's header message,
// Retry-After, what is retried for uploads, that the key never shows up in errors.
// The connector's other HTTP paths: connector-http.spec.ts; credentials: credentials.spec.ts.
import { ConnectorError } from '../connector';
import { formatSince, retryAfterMs, upstreamMessage } from './client';
import { KEY, useBambooStub } from './client.spec-env';
import { createBamboohrConnector } from './connector';
import { fileIdFromLocation } from './documents';

const t = useBambooStub();

describe('BambooClient', () => {
  it('sends Basic auth (key as user, "x" as password) and Accept: application/json to the gateway path', async () => {
    t.handler = () => ({ status: 200, body: { ok: true } });
    expect(await t.client().get('/meta/fields', { since: '2026-01-01T00:00:00+01:00' }, 'meta')).toEqual({ ok: true });
    const [r] = t.seen;
    expect(r.url).toBe('/api/gateway.php/acme/v1/meta/fields?since=2026-01-01T00:00:00%2B01:00');
    expect(r.headers.accept).toBe('application/json');
    expect(Buffer.from(String(r.headers.authorization).replace(/^Basic /, ''), 'base64').toString()).toBe(`${KEY}:x`);
  });

  it.each([
    [401, 'AUTH_FAILED'],
    [403, 'PERMISSION_MISSING'],
    [404, 'NOT_FOUND'],
    [400, 'UPSTREAM_INVALID_INPUT'],
    [409, 'UPSTREAM_INVALID_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
  ])('status %i → %s, with X-BambooHR-Error-Message as the upstream message and no key anywhere', async (status, kind) => {
    t.handler = () => ({ status, headers: { 'X-BambooHR-Error-Message': `nope for ${KEY}` } });
    const err = (await t
      .client()
      .get('/employees/1', undefined, 'employees')
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.kind).toBe(kind);
    expect(err.details).toMatchObject({ status, endpoint: 'employees', upstreamMessage: 'nope for [redacted]' });
    expect(JSON.stringify(err) + err.message + t.logs.join()).not.toContain(KEY);
  });

  it('reads the legacy misspelled header and JSON error bodies', () => {
    expect(upstreamMessage({ headers: { 'x-bamboohr-error-messsage': 'old' }, data: null })).toBe('old');
    expect(upstreamMessage({ headers: {}, data: { error: { code: 'BadPage', message: 'cursor' } } })).toBe('cursor');
    expect(upstreamMessage({ headers: {}, data: { type: 'x', title: 'Unprocessable', detail: 'bad filter' } })).toBe('bad filter');
    expect(upstreamMessage({ headers: {}, data: { errors: [{ error: 'Invalid request body' }] } })).toBe('Invalid request body');
    expect(upstreamMessage({ headers: {}, data: null })).toBeNull();
  });

  it('waits the Retry-After of a 429, then succeeds; gives up RATE_LIMITED when it lasts', async () => {
    let n = 0;
    t.handler = () => (++n <= 2 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200, body: [] });
    const started = Date.now();
    expect(await t.client().get('/meta/lists', undefined, 'meta')).toEqual([]);
    expect(t.seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3); // 2 s / timeScale 1000, twice
    t.handler = () => ({ status: 429, headers: { 'Retry-After': '1' } });
    await expect(t.client().get('/meta/lists', undefined, 'meta')).rejects.toMatchObject({ kind: 'RATE_LIMITED', details: { status: 429 } });
  });

  it('a Retry-After beyond the limit is not waited for', async () => {
    t.handler = () => ({ status: 429, headers: { 'Retry-After': '3600' } });
    await expect(t.client().get('/meta/lists', undefined, 'meta')).rejects.toMatchObject({ kind: 'RATE_LIMITED' });
    expect(t.seen).toHaveLength(1);
  });

  it('since: whole seconds in UTC, rounded down', () => {
    expect(formatSince(new Date('2026-11-30T10:00:59.999Z'))).toBe('2026-11-30T10:00:59Z');
  });

  it('Retry-After: seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect([retryAfterMs('soon', now), retryAfterMs(undefined, now)]).toEqual([null, null]);
  });

  it('retries GETs after 500 and broken JSON, but never re-sends an upload after a 500', async () => {
    let n = 0;
    t.handler = () => (++n === 1 ? { status: 500 } : n === 2 ? { status: 200, body: '{"trunc' } : { status: 200, body: { fine: 1 } });
    expect(await t.client().get('/meta/fields', undefined, 'meta')).toEqual({ fine: 1 });
    t.seen = [];
    t.handler = () => ({ status: 500 });
    const pdf = Buffer.from('%PDF-1.4 x');
    await expect(
      createBamboohrConnector({ client: { timeScale: 1000 } }).uploadDocument(t.ctx(), '7', {
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        categoryRemoteId: '3',
        title: 'A',
      }),
    ).rejects.toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE' });
    expect(t.seen).toHaveLength(1);
  });

  it('uploads multipart (file, fileName, category, share) and takes the id from Location', async () => {
    t.handler = () => ({ status: 201, headers: { Location: `${t.origin}/api/v1/employees/7/files/9001` } });
    const res = await createBamboohrConnector({ client: { timeScale: 1000 } }).uploadDocument({ ...t.ctx(), settings: { shareDocuments: 'yes' } }, '7', {
      fileName: 'c.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4 y'),
      categoryRemoteId: '31',
      title: 'Course certificate',
    });
    expect(res).toEqual({ remote_id: '9001' });
    const [r] = t.seen;
    expect(r.url).toBe('/api/gateway.php/acme/v1/employees/7/files');
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    for (const part of ['name="fileName"\r\n\r\nCourse certificate', 'name="category"\r\n\r\n31', 'name="share"\r\n\r\nyes', 'name="file"; filename="c.pdf"'])
      expect(r.body).toContain(part);
    expect([fileIdFromLocation('/x/files/12'), fileIdFromLocation('/x/files/12/'), fileIdFromLocation(undefined), fileIdFromLocation('/x/photo')]).toEqual([
      '12',
      '12',
      null,
      null,
    ]);
  });
});
