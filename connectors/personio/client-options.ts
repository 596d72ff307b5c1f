// What a PersonioClient is built with and speaks in: its options, Personio's rate
// limit buckets with our limits under them, the retry policy, and raw requests and
// responses (passthrough sees these).
import type { HttpClientOptions, RawRequest as BaseRawRequest, RawResponse, RetryOptions as BaseRetryOptions } from '../http/exchange';
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

/** Personio sends no Retry-After; `minRateLimitDelayMs` is the 1 s it asks for at least. */
export type RetryOptions = BaseRetryOptions;

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, maxRateLimitRetries: 8, baseDelayMs: 500, maxDelayMs: 30_000, minRateLimitDelayMs: 1000 };

/** `baseUrl` is the API origin (no `/v1`). */
export interface PersonioClientOptions extends HttpClientOptions<PersonioCredentials> {
  now?: () => Date;
  partnerId?: string;
  appId?: string;
  limits?: Partial<Record<PersonioBucket, RateLimit>>;
}

export interface RawRequest extends BaseRawRequest {
  bucket: PersonioBucket;
  /** `v2`: `path` is below the origin (`/v2/...`), for the v2 endpoints the webhooks use; default below `/v1`. */
  api?: 'v1' | 'v2';
  /**
   * Reads a successful response's body, as the bytes that arrived, instead of JSON.parse (the
   * employee list reads it through the page memo, which can then skip even decoding it); null
   * when it is not JSON, which is retried like any broken body.
   */
  readBody?: (bytes: Buffer) => Promise<unknown>;
}

export type { RawResponse };
