// PersonioClient: the only code that talks HTTP to Personio v1. It owns auth
// (cached 24 h token, one re-auth on 401/403), client-side rate limits shared
// per credential, and retries; callers get parsed bodies or a ConnectorError.
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ConnectorError, type ConnectorErrorKind } from '../connector';
import { backoffDelay, sleep, throwIfAborted } from '../http/backoff';
import { sharedLimiter, type SharedLimiter } from '../http/limiter';
import { parseBody, responseHeaders, tryOnce, unsendable } from '../http/exchange';
import { requestFault, retryAfterNetworkFailure, retryAfterStatus } from '../http/retry';
import { credentialKey, getToken, invalidateToken, rotateToken, singleFlightAuth, type CachedToken } from './token-cache';
import {
  DEFAULT_LIMITS,
  DEFAULT_RETRY,
  PERSONIO_API_ORIGIN,
  type PersonioBucket,
  type PersonioClientOptions,
  type RawRequest,
  type RawResponse,
  type RetryOptions,
} from './client-options';
import { listData, upstreamMessage } from './responses';
import type { PersonioAttributeDefinition, PersonioDocumentCategory, PersonioEmployee, PersonioListResponse } from './types';

const TOKEN_MARGIN_MS = 10 * 60_000;

export interface EmployeeListQuery {
  offset: number;
  limit: number;
  updatedSince?: string;
}

function employeeListRequest(q: EmployeeListQuery): RawRequest {
  const params: Record<string, unknown> = { limit: q.limit, offset: q.offset };
  if (q.updatedSince) params.updated_since = q.updatedSince;
  return { method: 'GET', path: '/company/employees', params, bucket: 'employees', idempotent: true };
}

async function readWith(read: NonNullable<RawRequest['readBody']>, bytes: Buffer): Promise<{ ok: boolean; value: unknown }> {
  const value = await read(bytes);
  return value === null ? { ok: false, value: null } : { ok: true, value };
}

export class PersonioClient {
  readonly origin: string;
  private readonly http: AxiosInstance;
  private readonly key: string;
  private readonly retry: RetryOptions;
  private readonly timeScale: number;
  private readonly now: () => Date;
  /** Tokens this client handled, only so error messages can be scrubbed of them. */
  private readonly knownTokens = new Set<string>();

  constructor(private readonly opts: PersonioClientOptions) {
    this.origin = (opts.baseUrl ?? PERSONIO_API_ORIGIN).replace(/\/+$/, '');
    this.key = credentialKey(this.origin, opts.credentials.clientId, opts.credentials.clientSecret);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeScale = opts.timeScale ?? 1;
    this.now = opts.now ?? (() => new Date());
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (opts.partnerId) headers['X-Personio-Partner-ID'] = opts.partnerId;
    if (opts.appId) headers['X-Personio-App-ID'] = opts.appId;
    this.http = axios.create({
      baseURL: `${this.origin}/v1`,
      headers,
      timeout: opts.timeoutMs ?? 30_000,
      maxRedirects: 0,
      // Bodies are parsed here, so truncated JSON is seen and retried instead of surfacing as a string.
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
    });
  }

  async getEmployees(q: EmployeeListQuery): Promise<PersonioListResponse<PersonioEmployee>> {
    const res = await this.request(employeeListRequest(q));
    const body = res.data as PersonioListResponse<PersonioEmployee> | null;
    if (!body || !Array.isArray(body.data)) throw this.noEmployeeData(res.status);
    return body;
  }

  /**
   * A page of the employee list as `read` takes it from the body's bytes (see RawRequest.readBody):
   * null from `read` means the body is not JSON (retried), undefined a body without an employee list.
   */
  async getEmployeesRead<T>(q: EmployeeListQuery, read: (bytes: Buffer) => Promise<T | null | undefined>): Promise<T> {
    const res = await this.request({ ...employeeListRequest(q), readBody: read });
    if (res.data === undefined || res.data === null) throw this.noEmployeeData(res.status);
    return res.data as T;
  }

  private noEmployeeData(status: number): ConnectorError {
    return this.fail('UPSTREAM_UNAVAILABLE', 'Personio returned an employee list without data', 'employees', status);
  }

  /** One employee by id (the same shape as a list item); null when Personio answers 404 (deleted). */
  async getEmployee(id: string): Promise<PersonioEmployee | null> {
    const res = await this.request({
      method: 'GET',
      path: `/company/employees/${encodeURIComponent(id)}`,
      bucket: 'employees',
      idempotent: true,
      throwOnStatus: false,
    });
    if (res.status === 404) return null;
    if (res.status >= 400) throw this.statusError(res, 'employees');
    const body = res.data as { data?: PersonioEmployee } | null;
    if (!body || !body.data || typeof body.data !== 'object')
      throw this.fail('UPSTREAM_UNAVAILABLE', 'Personio returned an employee without data', 'employees', res.status);
    return body.data;
  }

  async getAttributes(): Promise<PersonioAttributeDefinition[]> {
    const res = await this.request({ method: 'GET', path: '/company/employees/attributes', bucket: 'other', idempotent: true });
    return listData<PersonioAttributeDefinition>(res.data);
  }

  async getDocumentCategories(): Promise<PersonioDocumentCategory[]> {
    const res = await this.request({ method: 'GET', path: '/company/document-categories', bucket: 'other', idempotent: true });
    return listData<PersonioDocumentCategory>(res.data);
  }

  /** Scope string of the current token, when Personio sent one (authenticates if needed). */
  async tokenScope(): Promise<string | null> {
    return (await this.token()).scope;
  }

  /** Fetches (or reuses) the bearer token; throws AUTH_FAILED for bad credentials. */
  async token(): Promise<CachedToken> {
    const cached = getToken(this.key, this.now().getTime());
    if (cached) return cached;
    return singleFlightAuth(this.key, async () => {
      // JSON body: query-string credentials are deprecated and would land in access logs.
      const body = { client_id: this.opts.credentials.clientId, client_secret: this.opts.credentials.clientSecret };
      const res = await this.send({ method: 'POST', path: '/auth', data: body, bucket: 'auth', idempotent: true }, null);
      const data = (res.data as { data?: { token?: unknown; expires_in?: unknown; scope?: unknown } } | null)?.data;
      if (typeof data?.token !== 'string' || data.token === '')
        throw this.fail('UPSTREAM_UNAVAILABLE', 'Personio returned no token from /v1/auth', 'auth', res.status);
      const lifetimeMs = (typeof data.expires_in === 'number' && data.expires_in > 0 ? data.expires_in : 86_400) * 1000;
      const margin = Math.min(TOKEN_MARGIN_MS, lifetimeMs / 10);
      this.opts.logger.debug({ tool: 'personio', expiresInS: lifetimeMs / 1000 }, 'personio: authenticated');
      return { token: data.token, usableUntil: this.now().getTime() + lifetimeMs - margin, scope: typeof data.scope === 'string' ? data.scope : null };
    });
  }

  /**
   * A v2 request with the caller's v2 token (null: none, for the v2 token endpoint), through the
   * same rate limits and retries as every v1 request; statuses ≥ 400 are returned, except as
   * `send` notes (an auth-bucket refusal, a 5xx not retried).
   */
  async requestV2(req: Omit<RawRequest, 'api' | 'throwOnStatus'>, token: string | null): Promise<RawResponse> {
    if (token) this.knownTokens.add(token);
    return this.send({ ...req, api: 'v2', throwOnStatus: false }, token);
  }

  /** An authenticated request with re-auth on 401/403 (once) and retries. */
  async request(req: RawRequest): Promise<RawResponse> {
    let token = await this.token();
    this.knownTokens.add(token.token);
    let reauthed = false;
    for (;;) {
      const res = await this.send({ ...req, throwOnStatus: false }, token.token);
      if ((res.status === 401 || res.status === 403) && !reauthed) {
        // Personio answers an expired or revoked token with 401 or 403; a fresh token tells them apart from a missing right.
        invalidateToken(this.key, token.token);
        reauthed = true;
        token = await this.token();
        this.knownTokens.add(token.token);
        continue;
      }
      if (res.status >= 400 && req.throwOnStatus !== false) throw this.statusError(res, req.bucket);
      return res;
    }
  }

  private limiter(bucket: PersonioBucket): SharedLimiter {
    const limit = this.opts.limits?.[bucket] ?? DEFAULT_LIMITS[bucket];
    return sharedLimiter(`personio|${this.key}|${bucket}`, limit, this.timeScale);
  }

  /** One logical request: rate-limited, retried on transient failures. Statuses ≥ 400 are returned except as noted. */
  private async send(req: RawRequest, token: string | null): Promise<RawResponse> {
    const signal = this.opts.signal;
    const fault = requestFault(req);
    if (fault) throw this.fail('INVALID_REQUEST', `The request cannot be sent: ${fault}`, req.bucket);
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      throwIfAborted(signal);
      const { res, networkError, durationMs } = await tryOnce(this.limiter(req.bucket), signal, () =>
        this.http.request<string>({
          method: req.method,
          url: req.api === 'v2' ? `${this.origin}${req.path}` : req.path,
          params: req.params,
          data: req.data,
          headers: { ...req.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal,
          ...(req.readBody ? { responseType: 'arraybuffer' } : {}),
        }),
      );
      // Bytes only for readBody: every other use of a body (errors, statuses) reads its text.
      const bytes = res && Buffer.isBuffer(res.data) ? (res.data as Buffer) : null;
      if (res && bytes && !(req.readBody && res.status < 300)) res.data = bytes.toString('utf8');
      this.opts.stats?.requestMade?.({ tool: 'personio', endpoint: req.bucket, status: res?.status ?? null, durationMs });

      let retryReason: string | null = null;
      let parsed: unknown = null;
      if (res === null) {
        const failed = networkError ?? 'NETWORK_ERROR';
        const invalid = unsendable(failed);
        if (invalid) throw this.fail('INVALID_REQUEST', invalid, req.bucket);
        retryReason = retryAfterNetworkFailure(failed, req.idempotent) ? `network error ${failed}` : null;
        if (!retryReason)
          throw this.fail('UPSTREAM_UNAVAILABLE', `Personio did not answer (${networkError}); the request may or may not have been processed`, req.bucket);
      } else if (res.status === 429) {
        rateLimited++;
        if (rateLimited > this.retry.maxRateLimitRetries) throw this.fail('RATE_LIMITED', 'Personio kept answering 429 Too Many Requests', req.bucket, 429);
        const delayMs = Math.max(this.retry.minRateLimitDelayMs, backoffDelay(this.retry, rateLimited)) / this.timeScale;
        this.opts.stats?.rateLimited?.({ tool: 'personio', endpoint: req.bucket, delayMs });
        this.opts.logger.warn({ tool: 'personio', endpoint: req.bucket, delayMs, attempt: rateLimited }, 'personio: rate limited, backing off');
        await sleep(delayMs, signal);
        continue;
      } else if (res.status >= 500) {
        if (retryAfterStatus(res.status, req.idempotent)) retryReason = `status ${res.status}`;
        else throw this.statusError(this.wrap(res, parseBody(res.data).value), req.bucket);
      } else {
        const body = req.readBody && bytes && res.status < 300 ? await readWith(req.readBody, bytes) : parseBody(res.data);
        if (!body.ok && res.status < 300) retryReason = 'invalid JSON body';
        else parsed = body.value;
      }

      if (retryReason === null && res !== null) {
        if (token && res.status < 300 && req.api !== 'v2') this.acceptRotatedToken(token, res.headers.authorization);
        this.opts.logger.debug({ tool: 'personio', method: req.method, path: req.path, status: res.status, durationMs }, 'personio: request');
        if (res.status >= 400 && req.bucket === 'auth') throw this.authError(res, parsed);
        return this.wrap(res, parsed);
      }

      failures++;
      if (failures >= this.retry.maxAttempts) {
        throw this.fail('UPSTREAM_UNAVAILABLE', `Personio request failed ${failures} times (last: ${retryReason})`, req.bucket, res?.status);
      }
      const delayMs = backoffDelay(this.retry, failures) / this.timeScale;
      this.opts.logger.warn({ tool: 'personio', method: req.method, path: req.path, reason: retryReason, attempt: failures, delayMs }, 'personio: retrying');
      await sleep(delayMs, signal);
    }
  }

  private acceptRotatedToken(used: string, header: unknown): void {
    if (typeof header !== 'string') return;
    const next = header.replace(/^Bearer\s+/i, '').trim();
    if (!next || next === used) return;
    this.knownTokens.add(next);
    rotateToken(this.key, used, next);
  }

  private wrap(res: AxiosResponse<string>, data: unknown): RawResponse {
    // The legacy rotation header carries a live token: responseHeaders never passes it on.
    return { url: this.http.getUri(res.config), status: res.status, headers: responseHeaders(res.headers), data };
  }

  /** Auth endpoint answered ≥ 400 (429/5xx were retried before). */
  private authError(res: AxiosResponse<string>, data: unknown): ConnectorError {
    if (res.status === 400 || res.status === 401 || res.status === 403 || res.status === 422) {
      return this.fail('AUTH_FAILED', 'Personio rejected the client id or client secret', 'auth', res.status, upstreamMessage(data));
    }
    return this.fail('UPSTREAM_UNAVAILABLE', `Personio's auth endpoint answered ${res.status}`, 'auth', res.status);
  }

  statusError(res: RawResponse, bucket: PersonioBucket): ConnectorError {
    const msg = upstreamMessage(res.data);
    const s = res.status;
    if (s === 401) return this.fail('AUTH_FAILED', 'Personio no longer accepts these API credentials', bucket, s, msg);
    if (s === 403) return this.fail('PERMISSION_MISSING', 'The Personio API credentials lack a permission this request needs', bucket, s, msg);
    if (s === 404) return this.fail('NOT_FOUND', `Personio could not find the requested record${msg ? `: ${msg}` : ''}`, bucket, s, msg);
    if (s === 429) return this.fail('RATE_LIMITED', 'Personio rate limit exceeded', bucket, s, msg);
    if (s >= 500) return this.fail('UPSTREAM_UNAVAILABLE', `Personio answered ${s}`, bucket, s, msg);
    return this.fail('UPSTREAM_INVALID_INPUT', `Personio refused the request${msg ? `: ${msg}` : ''}`, bucket, s, msg);
  }

  /** Builds a ConnectorError whose message is scrubbed of the credential's secrets. */
  fail(kind: ConnectorErrorKind, message: string, endpoint: string, status?: number, upstream?: string | null): ConnectorError {
    const err = new ConnectorError(kind, this.redact(message), { status, endpoint, upstreamMessage: upstream ? this.redact(upstream) : undefined });
    this.opts.stats?.error?.({ tool: 'personio', endpoint, kind });
    return err;
  }

  private redact(s: string): string {
    const secrets = [this.opts.credentials.clientSecret, ...this.knownTokens].filter((x) => x.length >= 4);
    let out = s;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out.replace(/papi-[A-Za-z0-9_-]{16,}/g, '[redacted]');
  }
}
