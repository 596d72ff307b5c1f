import { Reply as KitReply, jsonFieldMap } from '../../sandbox-kit/http';

export { delay, drain, readBody, sendReply as write } from '../../sandbox-kit/http';

export interface Reply extends KitReply {
  /** Successful v1 data replies carry the token back in `Authorization` (and may be truncated by a fault). */
  isData?: boolean;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  contentType: 'application/json',
  headers,
});

/** Personio v1 error envelope; `code` is often 0 rather than the HTTP status. */
export const v1Error = (status: number, message: string, code: number = status, extra?: Record<string, unknown>): Reply =>
  json(status, { success: false, error: { code, message, ...extra } });

export const HTML_5XX: Record<number, string> = {
  502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
  503: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n',
};

export function serverError(status: 500 | 502 | 503): Reply {
  if (status === 500) return v1Error(500, 'Internal Server Error', 0);
  return { status, body: HTML_5XX[status], contentType: 'text/html' };
}

/** JSON or application/x-www-form-urlencoded body as a flat string map. */
export function parseFields(body: Buffer, contentType: string | undefined): Record<string, string> | null {
  const text = body.toString('utf8');
  if ((contentType ?? '').includes('application/json')) return jsonFieldMap(text);
  return Object.fromEntries(new URLSearchParams(text));
}
