import { createHash } from 'node:crypto';
import { inputInvalid } from '../common/errors';

/**
 * Opaque page cursors. A cursor carries the last id served: pages are walked in
 * `id` order, and a record's id never changes, so records that a concurrent
 * sync updates while a client pages (their `changed_at` moves) are neither
 * skipped nor repeated. A cursor is bound to the integration and the filters
 * it was issued for: replaying it with other filters is refused rather than
 * silently returning a page of a different result set.
 */
interface CursorBody {
  v: 1;
  /** Last id of the previous page. */
  k: string;
  /** Hash of the integration + filters. */
  f: string;
}

export function filterFingerprint(integrationId: string, model: string, filters: Record<string, unknown>): string {
  const canonical = Object.keys(filters)
    .filter((k) => filters[k] !== undefined && k !== 'cursor' && k !== 'page_size')
    .sort()
    .map((k) => [k, filters[k]]);
  return createHash('sha256').update(JSON.stringify([integrationId, model, canonical])).digest('base64url').slice(0, 16);
}

export function encodeCursor(lastId: string, fingerprint: string): string {
  const body: CursorBody = { v: 1, k: lastId, f: fingerprint };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The last id of the previous page, or an INPUT_INVALID error naming `cursor`. */
export function decodeCursor(cursor: string, fingerprint: string): string {
  let body: Partial<CursorBody> | null = null;
  if (/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) {
    try {
      body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
    } catch {
      body = null;
    }
  }
  if (!body || body.v !== 1 || typeof body.k !== 'string' || typeof body.f !== 'string' || body.k.length > 200) {
    throw inputInvalid('Invalid input: cursor is malformed. Pass the `next` value of the previous page unchanged.');
  }
  if (body.f !== fingerprint) {
    throw inputInvalid('Invalid input: cursor was issued for another integration or other filters. Repeat the same filters while paging.');
  }
  return body.k;
}
