import { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  body: string | Buffer;
  contentType: string;
  headers?: Record<string, string>;
  /** Successful v1 data replies carry the token back in `Authorization` (and may be truncated by a fault). */
  isData?: boolean;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json', headers,
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

export function write(res: ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': body.length, ...reply.headers });
  res.end(body);
}

export function readBody(req: IncomingMessage, maxBytes = 1_000_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => (size > maxBytes ? reject(new Error('body too large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Drain an unread request body so the client is not cut off mid-upload. */
export function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

/** JSON or application/x-www-form-urlencoded body as a flat string map. */
export function parseFields(body: Buffer, contentType: string | undefined): Record<string, string> | null {
  const text = body.toString('utf8');
  if ((contentType ?? '').includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    } catch {
      return null;
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
