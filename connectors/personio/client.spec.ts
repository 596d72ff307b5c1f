// PersonioClient details the sandbox cannot show: what goes over the wire
// (auth body, partner headers), token sharing, legacy token rotation, and
// retry decisions for uploads (not idempotent).
import { useStubServer, type Seen, type StubAnswer } from '../http/stub-server.spec-env';
import { ConnectorError, type ConnectorLogger } from '../connector';
import { PersonioClient } from './client';
import { startPersonioSandbox } from './sandbox';
import { clearTokenCache } from './token-cache';
import { personioWebhooks } from './webhooks';

const silent: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };
const fast = { timeScale: 1000 };

let seen: Seen[];
let handler: (req: Seen) => StubAnswer;
const stub = useStubServer((s) => {
  seen.push(s);
  return handler(s);
});
beforeEach(() => {
  seen = [];
  clearTokenCache();
});

const authOk = (token = 'papi-token-one-aaaaaaaaaaaaaaaaaaaa') => ({
  status: 200,
  body: { success: true, data: { token, expires_in: 86400, scope: 'employees:read documents:write' } },
});
const list = { status: 200, body: { success: true, metadata: { total_elements: 0 }, data: [] } };
const client = (extra: Partial<ConstructorParameters<typeof PersonioClient>[0]> = {}) =>
  new PersonioClient({ credentials: { clientId: 'cid', clientSecret: 's3cret-value' }, baseUrl: stub.origin, logger: silent, ...fast, ...extra });

describe('PersonioClient', () => {
  it('authenticates with a JSON body (never the query string) and sends partner/app headers', async () => {
    handler = (r) => (r.url.startsWith('/v1/auth') ? authOk() : list);
    await client({ partnerId: 'ACME', appId: 'HRIS_GATEWAY' }).getEmployees({ offset: 0, limit: 100 });
    const [auth, get] = seen;
    expect(auth.url).toBe('/v1/auth');
    expect(auth.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(auth.body)).toEqual({ client_id: 'cid', client_secret: 's3cret-value' });
    expect(get.url).toBe('/v1/company/employees?limit=100&offset=0');
    expect(get.headers).toMatchObject({
      authorization: 'Bearer papi-token-one-aaaaaaaaaaaaaaaaaaaa',
      'x-personio-partner-id': 'ACME',
      'x-personio-app-id': 'HRIS_GATEWAY',
    });
  });

  it('shares one token between client instances and concurrent calls of a credential, but not with a wrong secret', async () => {
    handler = (r) =>
      r.url.startsWith('/v1/auth')
        ? JSON.parse(r.body).client_secret === 's3cret-value'
          ? authOk()
          : { status: 401, body: { success: false, error: { code: 401, message: 'bad' } } }
        : list;
    await Promise.all([client().getEmployees({ offset: 0, limit: 1 }), client().getEmployees({ offset: 0, limit: 1 }), client().getAttributes()]);
    expect(seen.filter((s) => s.url === '/v1/auth')).toHaveLength(1);
    await expect(client({ credentials: { clientId: 'cid', clientSecret: 'other' } }).getEmployees({ offset: 0, limit: 1 })).rejects.toMatchObject({
      kind: 'AUTH_FAILED',
    });
  });

  it('adopts a rotated token from the Authorization response header', async () => {
    let n = 0;
    handler = (r) => {
      if (r.url === '/v1/auth') return authOk('papi-first-aaaaaaaaaaaaaaaaaaaaaa');
      n++;
      return { ...list, headers: { Authorization: `Bearer papi-rotated-${n}-aaaaaaaaaaaaaaaaaa` } };
    };
    await client().getEmployees({ offset: 0, limit: 1 });
    await client().getEmployees({ offset: 0, limit: 1 });
    expect(seen.filter((s) => s.url !== '/v1/auth').map((s) => s.headers.authorization)).toEqual([
      'Bearer papi-first-aaaaaaaaaaaaaaaaaaaaaa',
      'Bearer papi-rotated-1-aaaaaaaaaaaaaaaaaa',
    ]);
  });

  it('re-authenticates once on 403, then reports PERMISSION_MISSING', async () => {
    handler = (r) => (r.url === '/v1/auth' ? authOk() : { status: 403, body: { success: false, error: { code: 403, message: 'missing scope' } } });
    const err = await client()
      .getDocumentCategories()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'PERMISSION_MISSING', details: { upstreamMessage: 'missing scope' } });
    expect(seen.map((s) => s.url)).toEqual(['/v1/auth', '/v1/company/document-categories', '/v1/auth', '/v1/company/document-categories']);
  });

  it('does not resend an upload after an ambiguous 500, but does after 429 and 503', async () => {
    const answers = [429, 503, 500];
    handler = (r) => (r.url === '/v1/auth' ? authOk() : { status: answers.shift() ?? 201, body: { success: false, error: { message: 'x' } } });
    const form = new FormData();
    form.append('title', 't');
    const err = await client()
      .request({ method: 'POST', path: '/company/documents', data: form, bucket: 'documents', idempotent: false })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE', details: { status: 500 } });
    expect(seen.filter((s) => s.url === '/v1/company/documents')).toHaveLength(3);
  });

  it('gives up on persistent 5xx with a typed error after the attempt budget', async () => {
    handler = (r) => (r.url === '/v1/auth' ? authOk() : { status: 502 });
    const err = await client({ retry: { maxAttempts: 3 } })
      .getEmployees({ offset: 0, limit: 1 })
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE' });
    expect(seen.filter((s) => s.url.startsWith('/v1/company'))).toHaveLength(3);
  });

  it('passes a 422 message on and scrubs secrets from it', async () => {
    handler = (r) =>
      r.url === '/v1/auth'
        ? authOk()
        : {
            status: 422,
            body: { success: false, error: { code: 0, message: 'The given data was invalid.', error_data: { title: ['too long for s3cret-value'] } } },
          };
    const err = await client()
      .getEmployees({ offset: 0, limit: 1 })
      .catch((e) => e);
    expect(err.kind).toBe('UPSTREAM_INVALID_INPUT');
    expect(err.message).toContain('The given data was invalid. — title: too long for [redacted]');
  });

  it('passes at most 500 characters of a long validation message on', async () => {
    const error_data = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field_${i}`, ['is invalid']]));
    handler = (r) =>
      r.url === '/v1/auth' ? authOk() : { status: 422, body: { success: false, error: { code: 0, message: 'The given data was invalid.', error_data } } };
    const err = await client()
      .getEmployees({ offset: 0, limit: 1 })
      .catch((e) => e);
    expect(err.kind).toBe('UPSTREAM_INVALID_INPUT');
    expect(err.details.upstreamMessage).toMatch(/^The given data was invalid\. — field_0: is invalid/);
    expect(err.details.upstreamMessage.length).toBe(500);
    expect(err.message.length).toBeLessThan(600);
  });
});

describe('PersonioClient reading a body itself (getEmployeesRead)', () => {
  it('hands the reader the bytes that arrived, retries a body it finds broken, and reads error bodies as text', async () => {
    let calls = 0;
    handler = (r) => (r.url === '/v1/auth' ? authOk() : ++calls === 1 ? { status: 200, body: '{"data": [' } : { status: 200, body: '{"data":["Zoë"]}' });
    const got: Buffer[] = [];
    const value = await client().getEmployeesRead({ offset: 0, limit: 1 }, async (bytes) => {
      got.push(bytes);
      try {
        return JSON.parse(bytes.toString('utf8')) as unknown;
      } catch {
        return null;
      }
    });
    expect(value).toEqual({ data: ['Zoë'] });
    expect(got.map((b) => Buffer.isBuffer(b) && b.toString('utf8'))).toEqual(['{"data": [', '{"data":["Zoë"]}']);

    // A body without an employee list, and an error status, never reach the reader as a list.
    handler = (r) => (r.url === '/v1/auth' ? authOk() : { status: 200, body: { success: true } });
    await expect(client().getEmployeesRead({ offset: 0, limit: 1 }, async () => undefined)).rejects.toMatchObject({
      kind: 'UPSTREAM_UNAVAILABLE',
      message: 'Personio returned an employee list without data',
    });
    handler = (r) => (r.url === '/v1/auth' ? authOk() : { status: 422, body: { success: false, error: { code: 0, message: 'Bad offset' } } });
    const reader = jest.fn(async () => 'never');
    const err = await client()
      .getEmployeesRead({ offset: 0, limit: 1 }, reader)
      .catch((e) => e);
    expect(err).toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT', message: 'Personio refused the request: Bad offset' });
    expect(reader).not.toHaveBeenCalled();
  });
});

describe('Personio v2 webhook management through the client', () => {
  const ctx = {
    credentials: { clientId: 'cid', clientSecret: 's3cret-value' },
    baseUrl: '',
    logger: silent,
    signal: new AbortController().signal,
    now: () => new Date(),
    settings: { partnerId: 'ACME' },
  };
  const webhooks = personioWebhooks(() => client({ partnerId: 'ACME' }));
  const v2Token = { status: 200, body: { access_token: 'v2-token-aaaaaaaaaaaaaaaaaaaa', scope: 'personio:webhooks:write', expires_in: 3600 } };

  it('backs off through 429s and retries a 503 on a read, as v1 requests do; a create is never resent after a 500', async () => {
    const answers: Record<string, StubAnswer[]> = {
      'POST /v2/auth/token': [{ status: 429 }, v2Token],
      'POST /v2/webhooks': [{ status: 429 }, { status: 429 }, { status: 201, body: { _data: { id: 'wh-1' } } }],
      'GET /v2/webhooks/wh-1': [{ status: 503 }, { status: 200, body: { _data: { id: 'wh-1', status: 'ENABLED' } } }],
    };
    handler = (r) => answers[`${r.method} ${r.url}`]?.shift() ?? { status: 500 };
    await expect(webhooks.subscribe!(ctx, 'https://gw.example/inbound/x', 'tok')).resolves.toEqual({ id: 'wh-1' });
    await expect(webhooks.check!(ctx, 'wh-1')).resolves.toBe('ACTIVE');
    const calls = seen.map((s) => `${s.method} ${s.url}`);
    expect(calls.filter((c) => c === 'POST /v2/webhooks')).toHaveLength(3);
    expect(calls.filter((c) => c === 'GET /v2/webhooks/wh-1')).toHaveLength(2);
    // The client's own headers go along, and the v2 token, never the v1 one.
    const create = seen.find((s) => s.method === 'POST' && s.url === '/v2/webhooks')!;
    expect(create.headers).toMatchObject({ 'x-personio-partner-id': 'ACME', authorization: 'Bearer v2-token-aaaaaaaaaaaaaaaaaaaa' });

    seen = [];
    handler = () => ({ status: 500 });
    await expect(webhooks.subscribe!(ctx, 'https://gw.example/inbound/x', 'tok')).rejects.toMatchObject({ kind: 'UPSTREAM_UNAVAILABLE' });
    expect(seen.filter((s) => s.method === 'POST' && s.url === '/v2/webhooks')).toHaveLength(1);
  });
});

describe('PersonioClient against the sandbox in legacy single-use token mode', () => {
  it('reads many pages by following the rotated tokens, with one auth', async () => {
    const sb = await startPersonioSandbox({ employees: 120, seed: 5, timeScale: 60, legacyRotatingTokens: true });
    try {
      const c = new PersonioClient({ credentials: sb.defaultCredential, baseUrl: sb.url, logger: silent, timeScale: 60 });
      let total = 0;
      for (let offset = 0; offset < 120; offset += 50) total += (await c.getEmployees({ offset, limit: 50 })).data.length;
      expect(total).toBe(120);
      expect(sb.requestLog().filter((r) => r.path === '/v1/auth')).toHaveLength(1);
    } finally {
      await sb.close();
    }
  });
});
