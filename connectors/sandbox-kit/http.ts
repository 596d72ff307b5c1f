// HTTP plumbing every simulator shares: the reply a handler returns, writing it,
// and reading or draining request bodies. Error envelopes stay with each tool.
import { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  body: string | Buffer;
  /** Empty = no Content-Type header (some tools send bodiless errors and 201s). */
  contentType: string;
  headers?: Record<string, string>;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  const headers: Record<string, string | number> = { 'Content-Length': body.length, ...reply.headers };
  if (reply.contentType) headers['Content-Type'] = reply.contentType;
  res.writeHead(reply.status, headers);
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

/** A JSON object body as a flat string map (null/undefined → ''); null when it is not a JSON object. */
export function jsonFieldMap(text: string): Record<string, string> | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
  } catch {
    return null;
  }
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body: JSON.stringify(body),
  contentType: 'application/json',
  headers,
});
