// What every connector client sends and gets back, and the one try of a request
// through the shared limiter. Each client keeps its own auth, buckets, status
// mapping and retry decisions; these are the parts that are the same for all.
import type { AxiosResponse } from 'axios';
import { ConnectorError, type ConnectorLogger, type ConnectorStats } from '../connector';
import { throwIfAborted } from './backoff';
import type { SharedLimiter } from './limiter';
import { classifyNetworkFailure } from './retry';

export interface RetryOptions {
  /** Attempts for 5xx, timeouts, resets and broken JSON (first try included). */
  maxAttempts: number;
  /** Extra tries after 429s, counted separately: a burst of 429s is expected, not a failure. */
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wait after a 429 that says nothing usable about when to come back. */
  minRateLimitDelayMs: number;
}

/** What a connector client is built with besides its credentials and tuning. */
export interface HttpClientOptions<Credentials, Retry extends RetryOptions = RetryOptions> {
  credentials: Credentials;
  /** API origin; defaults to the tool's, the simulator URL in tests. */
  baseUrl?: string;
  logger: ConnectorLogger;
  signal?: AbortSignal;
  stats?: ConnectorStats;
  /** >1 when the remote runs time faster (the simulator): shrinks limiter spacing and waits alike. */
  timeScale?: number;
  retry?: Partial<Retry>;
  timeoutMs?: number;
}

export interface RawRequest {
  method: string;
  /** Path below the API's version prefix, e.g. `/company/employees`. */
  path: string;
  params?: Record<string, unknown>;
  data?: unknown;
  headers?: Record<string, string>;
  /** Safe to resend after an ambiguous failure (timeout, reset, 5xx). */
  idempotent: boolean;
  /** Passthrough wants the remote status instead of a thrown error. */
  throwOnStatus?: boolean;
}

export interface RawResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

/**
 * The response's headers as the caller gets them: names lowercased, repeated ones joined. Never passed on:
 * cookies, and `authorization` (Personio's legacy token rotation puts a live token there).
 */
export function responseHeaders(raw: AxiosResponse['headers'] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    const name = k.toLowerCase();
    if (name === 'authorization' || name === 'set-cookie' || v == null) continue;
    headers[name] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return headers;
}

/** The parsed body; ok false when it is not JSON (the raw text is kept for the error). Clients parse bodies themselves so a truncated one is seen and retried. */
export function parseBody(raw: unknown): { ok: boolean; value: unknown } {
  if (typeof raw !== 'string') return { ok: true, value: raw ?? null };
  if (raw.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, value: raw };
  }
}

export interface Try {
  /** null when nothing came back; `networkError` then says why. */
  res: AxiosResponse<string> | null;
  networkError: string | null;
  durationMs: number;
}

/** One try through the shared limiter; an abort throws ABORTED, a network failure is returned as its code. */
export async function tryOnce(limiter: SharedLimiter, signal: AbortSignal | undefined, send: () => Promise<AxiosResponse<string>>): Promise<Try> {
  const started = Date.now();
  try {
    const res = await limiter.schedule(() => {
      throwIfAborted(signal);
      return send();
    });
    return { res, networkError: null, durationMs: Date.now() - started };
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    if (signal?.aborted) throw new ConnectorError('ABORTED', 'The operation was aborted');
    // Only the code is kept: axios errors carry request headers and body (keys, tokens, secrets).
    return { res: null, networkError: (e as { code?: string }).code ?? 'NETWORK_ERROR', durationMs: Date.now() - started };
  }
}

/** The INVALID_REQUEST message when a network failure means the request itself cannot be sent, else null. */
export function unsendable(code: string): string | null {
  return classifyNetworkFailure(code) === 'invalid-request' ? `The request cannot be sent (${code}): check its header names and values, path and body` : null;
}
