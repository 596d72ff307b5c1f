// What a PersonioClient is built with and speaks in: its options, Personio's rate
// limit buckets with our limits under them, the retry policy, and raw requests and
// responses (passthrough sees these).
import type { ConnectorLogger, ConnectorStats } from '../connector';
import type { RateLimit } from '../http/limiter';
import type { PersonioCredentials } from './types';

export const PERSONIO_API_ORIGIN = 'https://api.personio.de';
export type PersonioBucket = 'auth' | 'employees' | 'documents' | 'other';

/** Deliberately a little under Personio's published limits (300/min + 15/s, 60/min, 60/min) to absorb jitter. */
export const DEFAULT_LIMITS: Record<PersonioBucket, RateLimit> = {
  employees: { perMinute: 295, perSecond: 14, maxConcurrent: 4 },
  auth: { perMinute: 55, maxConcurrent: 1 },
  documents: { perMinute: 55, maxConcurrent: 2 },
  other: { perMinute: 240, perSecond: 8, maxConcurrent: 4 },
};

export interface RetryOptions {
  /** Attempts for 5xx, timeouts, resets and broken JSON (first try included). */
  maxAttempts: number;
  /** Extra tries after 429s, counted separately: a burst of 429s is expected, not a failure. */
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Personio sends no Retry-After; it asks for at least 1 s. */
  minRateLimitDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, maxRateLimitRetries: 8, baseDelayMs: 500, maxDelayMs: 30_000, minRateLimitDelayMs: 1000 };

export interface PersonioClientOptions {
  credentials: PersonioCredentials;
  /** API origin (no `/v1`); defaults to Personio's, the sandbox URL in tests. */
  baseUrl?: string;
  logger: ConnectorLogger;
  signal?: AbortSignal;
  now?: () => Date;
  partnerId?: string;
  appId?: string;
  stats?: ConnectorStats;
  /** >1 when the remote runs time faster (the sandbox): shrinks limiter spacing and waits alike. */
  timeScale?: number;
  limits?: Partial<Record<PersonioBucket, RateLimit>>;
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
}

export interface RawRequest {
  method: string;
  /** Path below /v1, e.g. `/company/employees`. */
  path: string;
  params?: Record<string, unknown>;
  data?: unknown;
  headers?: Record<string, string>;
  bucket: PersonioBucket;
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
