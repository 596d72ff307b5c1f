import { ConnectorError, type PassthroughRequest } from '../connector';

const BASE = 'http://relative.invalid';

/**
 * A caller's path below an API base, normalised by the URL parser as the remote
 * server will see it: dot segments — also percent-encoded ones like
 * `/company/%2e%2e/auth` — are resolved *before* the connector checks the path,
 * and the normalised path is what is sent, so what was checked is what arrives.
 * Refused: absolute or protocol-relative URLs, backslashes, control characters,
 * and encoded slashes (`%2f`, `%5c`), which some servers decode before routing.
 */
export function normalizeRelativePath(raw: string): string {
  const path = raw.trim();
  const pathPart = path.split(/[?#]/)[0];
  // Control characters are what this check refuses.
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || path.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(path) || /%(2f|5c|00)/i.test(pathPart)) {
    throw invalidPath();
  }
  const url = new URL(path, BASE);
  if (url.origin !== BASE) throw invalidPath();
  return url.pathname + url.search;
}

function invalidPath(): ConnectorError {
  return new ConnectorError(
    'INVALID_REQUEST',
    'The passthrough path must be a plain path below the API base, like /company/employees (no full URL, backslash or encoded slash)',
  );
}

/** Caller headers that carry the gateway's own auth or transport framing: never forwarded. */
const FORBIDDEN_HEADERS = new Set(['authorization', 'host', 'cookie', 'content-length', 'transfer-encoding', 'connection']);

/** A passthrough path below a `/v1` API base: normalised, with a leading `/v1` tolerated (as Kombo's `…/v1` passthroughs). */
export function passthroughPath(raw: string): string {
  const path = normalizeRelativePath(raw);
  return /^\/v1(\/|\?|$)/.test(path) ? `/${path.slice(3).replace(/^\//, '')}` : path;
}

/** The request a passthrough call forwards: the caller's method, query and body, its headers minus the forbidden ones. */
export function passthroughRequest(req: PassthroughRequest, path: string) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) if (!FORBIDDEN_HEADERS.has(k.toLowerCase())) headers[k] = v;
  return { method: req.method, path, params: req.params, data: req.body, headers, idempotent: req.method === 'GET', throwOnStatus: false };
}
