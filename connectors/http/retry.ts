// The one decision, shared by connector clients, of which failed attempts are
// sent again. Only failures of the remote or the network are retried; a
// request that is wrong in itself fails the same way every time, so it is
// reported at once as the caller's error (ConnectorError INVALID_REQUEST).

/**
 * Node and axios codes for a request that could not even be built — an invalid
 * header name or value, a bad URL or option, a body over the limit. Nothing was
 * sent; the request itself is at fault.
 */
const INVALID_REQUEST_CODES = new Set([
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
  'ERR_HTTP_INVALID_HEADER_VALUE',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_UNESCAPED_CHARACTERS',
  'ERR_INVALID_URL',
  'ERR_INVALID_PROTOCOL',
  'ERR_BAD_OPTION',
  'ERR_BAD_OPTION_VALUE',
  'ERR_NOT_SUPPORT',
  'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
]);

/** The connection never opened: the remote cannot have processed anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Statuses that say "not processed, try later" even for a request that is not idempotent. */
const RETRYABLE_WHEN_NOT_IDEMPOTENT = new Set([429, 503]);

/**
 * A request that is wrong before it is sent, as far as HTTP itself says: a GET or HEAD
 * with a body (servers and CDNs reset or refuse it, which would look like an outage
 * and be retried). Returns why, or null.
 */
export function requestFault(req: { method: string; data?: unknown }): string | null {
  const method = req.method.toUpperCase();
  if ((method === 'GET' || method === 'HEAD') && req.data !== undefined && req.data !== null) return `a ${method} request has no body`;
  return null;
}

export type NetworkFailure = 'invalid-request' | 'not-sent' | 'ambiguous';

export function classifyNetworkFailure(code: string): NetworkFailure {
  if (INVALID_REQUEST_CODES.has(code)) return 'invalid-request';
  return NOT_SENT_CODES.has(code) ? 'not-sent' : 'ambiguous';
}

/** May an attempt that failed without an answer be sent again? Never when the request itself is invalid. */
export function retryAfterNetworkFailure(code: string, idempotent: boolean): boolean {
  const kind = classifyNetworkFailure(code);
  return kind === 'not-sent' || (kind === 'ambiguous' && idempotent);
}

/** May an attempt answered with this status be sent again? 4xx (the caller's fault) never, except 429. */
export function retryAfterStatus(status: number, idempotent: boolean): boolean {
  if (RETRYABLE_WHEN_NOT_IDEMPOTENT.has(status)) return true;
  return status >= 500 && idempotent;
}
