import { randomUUID } from 'node:crypto';
import { Reply, json } from './http-util';

/** v2 errors are `application/problem+json` with `personio_trace_id`, `timestamp`, `errors[]` (NOTES §3.2). */
/** `_meta` values are strings (CC2 `ErrorResponse`). */
export interface ProblemItem {
  title: string;
  detail: string;
  type?: string;
  _meta?: Record<string, string>;
}

const ERRORS = 'https://developer.personio.de/reference/errors#';

export function problem(status: number, items: ProblemItem[] | ProblemItem): Reply {
  const errors = (Array.isArray(items) ? items : [items]).map((i) => ({
    ...i,
    type: i.type ?? `${ERRORS}common.${status === 404 ? 'resource_not_found' : 'bad_request'}`,
  }));
  const reply = json(status, { personio_trace_id: randomUUID(), timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), errors });
  reply.contentType = 'application/problem+json';
  return reply;
}

export const notFound = (detail = 'There is no resource for the specified id.') =>
  problem(404, { title: 'Resource not found', detail, type: `${ERRORS}common.resource_not_found` });

export const badRequest = (detail: string, meta?: Record<string, string>) =>
  problem(400, { title: 'Bad Request', detail, type: `${ERRORS}common.bad_request`, ...(meta ? { _meta: meta } : {}) });

export const unprocessable = (title: string, detail: string, meta?: Record<string, string>) =>
  problem(422, { title, detail, type: `${ERRORS}webhooks.validation_error`, ...(meta ? { _meta: meta } : {}) });

/** Opaque cursors over a stable list position (the real ones look like `cur_82sQwR2eZvKilo2duNh219Kw`). */
export const encodeCursor = (offset: number) => `cur_${Buffer.from(`o:${offset}`).toString('base64url')}`;

export function decodeCursor(raw: string | null): number | null {
  if (raw === null || raw === '') return 0;
  const m = /^cur_([A-Za-z0-9_-]+)$/.exec(raw);
  const text = m ? Buffer.from(m[1], 'base64url').toString('utf8') : '';
  const o = /^o:(\d+)$/.exec(text);
  return o ? Number(o[1]) : null;
}

/** `limit` within [1, max] (default `dflt`), or null when invalid. */
export function limitParam(raw: string | null, dflt: number, max: number): number | null {
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : null;
}

/** `{_data, _meta:{links:{self, next?}}}` with absolute links. */
export function page<T>(items: T[], offset: number, limit: number, baseUrl: string, path: string, query: URLSearchParams): Reply {
  return pageOf(items.slice(offset, offset + limit), offset + limit < items.length ? offset + limit : null, baseUrl, path, query);
}

/** One already-cut page; `next` is the offset of the following page, or null on the last one. */
export function pageOf<T>(slice: T[], next: number | null, baseUrl: string, path: string, query: URLSearchParams): Reply {
  const self = new URL(path, baseUrl);
  for (const [k, v] of query) self.searchParams.append(k, v);
  const links: Record<string, { href: string }> = { self: { href: self.toString() } };
  if (next !== null) {
    const n = new URL(self);
    n.searchParams.set('cursor', encodeCursor(next));
    links.next = { href: n.toString() };
  }
  return json(200, { _data: slice, _meta: { links } });
}
