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

/**
 * Caller headers that carry the gateway's own auth or transport framing: never forwarded.
 * The hop-by-hop ones (RFC 9110 §7.6.1) describe the caller's connection to the gateway, not
 * the gateway's to the HRIS, which Node's HTTP client frames and manages itself.
 */
const FORBIDDEN_HEADERS = new Set([
  'authorization', // the connector sends the integration's credential; a caller's must not replace it
  'proxy-authorization', // a credential for a proxy on the way, not for the HRIS: never the caller's to send on
  'cookie', // a session with the HRIS would act as whoever it belongs to, not as the integration's credential
  'host', // the connector's base URL names the host; another one would address another site on the same server
  'content-length', // the client measures the body it sends; a caller's length could split or cut the request
  'transfer-encoding', // hop-by-hop framing, chosen by the client for the body it sends
  'connection', // hop-by-hop; the headers it names are dropped too (passthroughRequest)
  'keep-alive', // hop-by-hop: the caller's connection's timeouts; the client's pool keeps its own
  'proxy-connection', // non-standard hop-by-hop (RFC 9112 Appendix C.2.2)
  'te', // hop-by-hop: the transfer codings the caller's connection accepts, not the client's
  'trailer', // announces trailer fields after a chunked body; the client sends the body whole, without any
  'upgrade', // hop-by-hop: a protocol switch (WebSocket, h2c) the client cannot carry out
]);

/** A passthrough path below a `/v1` API base: normalised, with a leading `/v1` tolerated (as Kombo's `…/v1` passthroughs). */
export function passthroughPath(raw: string): string {
  const path = normalizeRelativePath(raw);
  return /^\/v1(\/|\?|$)/.test(path) ? `/${path.slice(3).replace(/^\//, '')}` : path;
}

/**
 * The request a passthrough call forwards: the caller's method, query and body, its headers minus
 * the forbidden ones and minus those its `Connection` header names (hop-by-hop, RFC 9110 §7.6.1).
 */
export function passthroughRequest(req: PassthroughRequest, path: string) {
  const given = Object.entries(req.headers ?? {});
  const named = new Set<string>();
  for (const [k, v] of given) if (k.toLowerCase() === 'connection') for (const n of String(v).split(',')) named.add(n.trim().toLowerCase());
  const headers: Record<string, string> = {};
  for (const [k, v] of given) if (!FORBIDDEN_HEADERS.has(k.toLowerCase()) && !named.has(k.toLowerCase())) headers[k] = v;
  return { method: req.method, path, params: req.params, data: req.body, headers, idempotent: req.method === 'GET', throwOnStatus: false };
}
