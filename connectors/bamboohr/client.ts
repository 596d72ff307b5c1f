// BambooClient: the only code that talks HTTP to BambooHR. It owns auth (Basic,
// the API key as user name and "x" as password), JSON negotiation (BambooHR
// answers XML unless asked for JSON), a client-side rate limit shared per
// credential, retries (429 with Retry-After, legacy 503 throttling, network
// failures) and the mapping of statuses to ConnectorError kinds. Callers get
// parsed bodies; the key never appears in an error or a log line.
import { createHash } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ConnectorError, type ConnectorErrorKind } from '../connector';
import { backoffDelay, sleep, throwIfAborted } from '../http/backoff';
import { sharedLimiter, type RateLimit } from '../http/limiter';
import {
  parseBody,
  responseHeaders,
  tryOnce,
  unsendable,
  type HttpClientOptions,
  type RawRequest as BaseRawRequest,
  type RawResponse,
  type RetryOptions as BaseRetryOptions,
} from '../http/exchange';
import { requestFault, retryAfterNetworkFailure, retryAfterStatus } from '../http/retry';
import type { BambooCredentials } from './types';

/** The classic gateway host (Kombo's passthrough base uses it too); `ctx.baseUrl` replaces the origin. */
export const BAMBOOHR_API_ORIGIN = 'https://api.bamboohr.com';

/**
 * BambooHR publishes no numbers ("requests can be throttled if deemed too frequent",
 * NOTES §6). 5/s with 4 in flight is what the integrations we studied use without
 * complaints; 429 + Retry-After remains the real signal and is honoured.
 */
export const DEFAULT_LIMIT: RateLimit = { perMinute: 300, perSecond: 5, maxConcurrent: 4 };

export interface RetryOptions extends BaseRetryOptions {
  /** A Retry-After longer than this is not waited for: the call fails RATE_LIMITED and the sync engine backs off. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  maxRateLimitRetries: 8,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  minRateLimitDelayMs: 1000,
  maxRetryAfterMs: 120_000,
};

/** `baseUrl` is the API origin (scheme + host); the path `/api/gateway.php/{companyDomain}/v1` is added. */
export interface BambooClientOptions extends HttpClientOptions<BambooCredentials, RetryOptions> {
  limit?: RateLimit;
}

export interface RawRequest extends BaseRawRequest {
  /** Short name for logs and metrics (`employees`, `files`, …). */
  endpoint: string;
  /** A success may be plain text (webhook deletion): returned as the string instead of retried as truncated JSON. */
  text?: boolean;
}

export type { RawResponse };

/** Where BambooHR puts the reason for an error: headers on classic endpoints (one name is misspelled on purpose). */
const MESSAGE_HEADERS = ['x-bamboohr-error-message', 'x-bamboohr-error-messsage', 'x-bamboohr-message'];

export class BambooClient {
  readonly origin: string;
  readonly basePath: string;
  private readonly http: AxiosInstance;
  private readonly limiterKey: string;
  private readonly retry: RetryOptions;
  private readonly timeScale: number;

  constructor(private readonly opts: BambooClientOptions) {
    this.origin = (opts.baseUrl ?? BAMBOOHR_API_ORIGIN).replace(/\/+$/, '');
    this.basePath = `/api/gateway.php/${encodeURIComponent(opts.credentials.companyDomain)}/v1`;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeScale = opts.timeScale ?? 1;
    // The limit belongs to the key; the key itself never becomes part of a map key.
    const keyHash = createHash('sha256').update(opts.credentials.apiKey).digest('hex').slice(0, 16);
    this.limiterKey = `bamboohr|${this.origin}|${opts.credentials.companyDomain}|${keyHash}`;
    this.http = axios.create({
      baseURL: `${this.origin}${this.basePath}`,
      headers: { Accept: 'application/json' },
      auth: { username: opts.credentials.apiKey, password: 'x' },
      timeout: opts.timeoutMs ?? 30_000,
      maxRedirects: 0,
      // Bodies are parsed here, so truncated JSON is seen and retried instead of surfacing as a string.
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
    });
  }

  async get(path: string, params: Record<string, unknown> | undefined, endpoint: string): Promise<unknown> {
    return (await this.request({ method: 'GET', path, params, idempotent: true, endpoint })).data;
  }

  /** One logical request: rate-limited, retried on transient failures; statuses ≥ 400 throw unless `throwOnStatus` is false. */
  async request(req: RawRequest): Promise<RawResponse> {
    const signal = this.opts.signal;
    const fault = requestFault(req);
    if (fault) throw this.fail('INVALID_REQUEST', `The request cannot be sent: ${fault}`, req.endpoint);
    const limiter = sharedLimiter(this.limiterKey, this.opts.limit ?? DEFAULT_LIMIT, this.timeScale);
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      throwIfAborted(signal);
      const { res, networkError, durationMs } = await tryOnce(limiter, signal, () =>
        this.http.request<string>({ method: req.method, url: req.path, params: req.params, data: req.data, headers: req.headers, signal }),
      );
      this.opts.stats?.requestMade?.({ tool: 'bamboohr', endpoint: req.endpoint, status: res?.status ?? null, durationMs });

      let retryReason: string | null;
      if (res === null) {
        const failed = networkError ?? 'NETWORK_ERROR';
        const invalid = unsendable(failed);
        if (invalid) throw this.fail('INVALID_REQUEST', invalid, req.endpoint);
        if (!retryAfterNetworkFailure(failed, req.idempotent)) {
          throw this.fail('UPSTREAM_UNAVAILABLE', `BambooHR did not answer (${failed}); the request may or may not have been processed`, req.endpoint);
        }
        retryReason = `network error ${failed}`;
      } else if (res.status === 429 || res.status === 503) {
        // 429 is BambooHR's throttle since 2026-09-16; before, it throttled with 503 (and 503 still means
        // "not processed"), so both are retried even for uploads, on the Retry-After BambooHR sends.
        rateLimited++;
        const retryAfter = retryAfterMs(res.headers['retry-after'], Date.now());
        if (rateLimited > this.retry.maxRateLimitRetries || (retryAfter !== null && retryAfter > this.retry.maxRetryAfterMs)) {
          throw this.statusError(this.wrap(res, null), req.endpoint);
        }
        const delayMs = (retryAfter ?? Math.max(this.retry.minRateLimitDelayMs, backoffDelay(this.retry, rateLimited))) / this.timeScale;
        this.opts.stats?.rateLimited?.({ tool: 'bamboohr', endpoint: req.endpoint, delayMs });
        this.opts.logger.warn({ tool: 'bamboohr', endpoint: req.endpoint, status: res.status, delayMs, attempt: rateLimited }, 'bamboohr: throttled, waiting');
        await sleep(delayMs, signal);
        continue;
      } else if (res.status >= 500 && retryAfterStatus(res.status, req.idempotent)) {
        retryReason = `status ${res.status}`;
      } else {
        const body = parseBody(res.data);
        if (!body.ok && res.status < 300 && req.text !== true) retryReason = 'a body that is not JSON';
        else {
          this.opts.logger.debug({ tool: 'bamboohr', method: req.method, endpoint: req.endpoint, status: res.status, durationMs }, 'bamboohr: request');
          const wrapped = this.wrap(res, body.value);
          if (res.status >= 400 && req.throwOnStatus !== false) throw this.statusError(wrapped, req.endpoint);
          return wrapped;
        }
      }

      failures++;
      if (failures >= this.retry.maxAttempts) {
        throw this.fail(
          'UPSTREAM_UNAVAILABLE',
          `BambooHR request failed ${failures} times (last: ${retryReason})`,
          req.endpoint,
          res?.status,
          res ? upstreamMessage(this.wrap(res, null)) : null,
        );
      }
      const delayMs = backoffDelay(this.retry, failures) / this.timeScale;
      this.opts.logger.warn(
        { tool: 'bamboohr', method: req.method, endpoint: req.endpoint, reason: retryReason, attempt: failures, delayMs },
        'bamboohr: retrying',
      );
      await sleep(delayMs, signal);
    }
  }

  private wrap(res: AxiosResponse<string>, data: unknown): RawResponse {
    return { url: this.http.getUri(res.config), status: res.status, headers: responseHeaders(res.headers), data };
  }

  statusError(res: RawResponse, endpoint: string): ConnectorError {
    const msg = upstreamMessage(res);
    const s = res.status;
    const suffix = msg ? `: ${msg}` : '';
    if (s === 401) return this.fail('AUTH_FAILED', 'BambooHR does not accept this API key for this company domain', endpoint, s, msg);
    if (s === 403) return this.fail('PERMISSION_MISSING', `The BambooHR API key lacks a permission this request needs${suffix}`, endpoint, s, msg);
    if (s === 404) return this.fail('NOT_FOUND', `BambooHR could not find the requested record${suffix}`, endpoint, s, msg);
    if (s === 429) return this.fail('RATE_LIMITED', 'BambooHR kept throttling the requests (429 Too Many Requests)', endpoint, s, msg);
    if (s >= 500) return this.fail('UPSTREAM_UNAVAILABLE', `BambooHR answered ${s}${suffix}`, endpoint, s, msg);
    return this.fail('UPSTREAM_INVALID_INPUT', `BambooHR refused the request (${s})${suffix}`, endpoint, s, msg);
  }

  /** Builds a ConnectorError whose texts are scrubbed of the API key. */
  fail(kind: ConnectorErrorKind, message: string, endpoint: string, status?: number, upstream?: string | null): ConnectorError {
    const err = new ConnectorError(kind, this.redact(message), { status, endpoint, upstreamMessage: upstream ? this.redact(upstream) : undefined });
    this.opts.stats?.error?.({ tool: 'bamboohr', endpoint, kind });
    return err;
  }

  private redact(s: string): string {
    const key = this.opts.credentials.apiKey;
    return key.length >= 4 ? s.split(key).join('[redacted]') : s;
  }
}

/**
 * `since` as BambooHR documents it (`2026-01-31T18:42:00Z`): whole seconds, rounded down so
 * the window starts early (a change may repeat, none is missed).
 */
export function formatSince(d: Date): string {
  return `${new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** Retry-After in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: unknown, nowMs: number): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * BambooHR's reason for an error: the `X-BambooHR-Error-Message` header (or its
 * legacy spellings) on classic endpoints, else the body of the newer ones
 * (`{error:{message}}`, problem JSON `detail`/`title`, webhooks' `{errors:[{error}]}`).
 */
export function upstreamMessage(res: Pick<RawResponse, 'headers' | 'data'>): string | null {
  for (const h of MESSAGE_HEADERS) {
    const v = res.headers[h];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 500);
  }
  const b = res.data as { error?: { message?: unknown }; detail?: unknown; title?: unknown; errors?: unknown; message?: unknown } | null;
  if (!b || typeof b !== 'object') return null;
  const errors = Array.isArray(b.errors) ? b.errors[0] : b.errors;
  const candidates = [b.error?.message, b.detail, b.title, (errors as { error?: unknown } | undefined)?.error, b.message];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  return found ? found.trim().slice(0, 500) : null;
}
