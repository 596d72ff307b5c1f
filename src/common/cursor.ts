import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { inputInvalid } from './errors';

/** What a cursor belongs to: one list of one owner (integration or environment) under one set of filters. */
export interface CursorScope {
  /** The list, e.g. `employees`, `sync-runs`, `webhook-events`. */
  list: string;
  /** The integration or environment id the list is read for. */
  owner: string;
  /** The request's filters; `cursor` and `page_size` are ignored, undefined values dropped. */
  filters?: Record<string, unknown>;
}

/**
 * SQL for a timestamptz column as a cursor carries it: ISO 8601 in UTC with Postgres's
 * microseconds, which `$n::timestamptz` reads back exactly. Read through a JavaScript Date it
 * would keep milliseconds only, and the next page would skip every row in the same millisecond
 * as the last one shown (rows a statement or transaction writes share now()).
 */
export const timestampKeySql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Provider token of the PageCursors instance. */
export const PAGE_CURSORS = 'PAGE_CURSORS';

const MALFORMED = 'Invalid input: cursor is malformed. Pass the `next` value of the previous page unchanged.';
const OTHER_SCOPE = 'Invalid input: cursor was issued for another integration or other filters. Repeat the same filters while paging.';

/**
 * The one page-cursor codec of every paginated list. A cursor carries the keyset
 * position of the last row served (e.g. `[created_at, id]`) and is signed with
 * HMAC-SHA256 under a server key, so a client cannot forge a position: whatever a
 * cursor decodes to was written by this gateway, and reaches SQL as such. The MAC
 * also covers the scope's fingerprint, so a cursor replayed for another list,
 * integration or set of filters is refused instead of paging a different result.
 * Every replica derives the same key from the encryption key (CredentialVault).
 *
 * Format: base64url(JSON [1, fingerprint, ...position]) "." base64url(mac).
 */
export class PageCursors {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the page cursor key must have at least 32 bytes');
  }

  encode(scope: CursorScope, position: readonly string[]): string {
    const payload = Buffer.from(JSON.stringify([1, fingerprint(scope), ...position]), 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The position of `cursor`, with exactly `fields` parts, or an INPUT_INVALID error naming `cursor`. */
  decode(scope: CursorScope, cursor: string, fields: number): string[] {
    const m = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/.exec(cursor);
    if (!m) throw inputInvalid(MALFORMED);
    const given = Buffer.from(m[2], 'base64url');
    const expected = Buffer.from(this.mac(m[1]), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw inputInvalid(MALFORMED);
    const body = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as unknown[];
    if (!Array.isArray(body) || body[0] !== 1 || body.length !== fields + 2 || !body.every((v, i) => i === 0 || typeof v === 'string')) {
      throw inputInvalid(MALFORMED);
    }
    if (body[1] !== fingerprint(scope)) throw inputInvalid(OTHER_SCOPE);
    return body.slice(2) as string[];
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

function fingerprint(scope: CursorScope): string {
  const filters = scope.filters ?? {};
  const canonical = Object.keys(filters)
    .filter((k) => filters[k] !== undefined && k !== 'cursor' && k !== 'page_size')
    .sort()
    .map((k) => [k, filters[k]]);
  return createHash('sha256')
    .update(JSON.stringify([scope.list, scope.owner, canonical]))
    .digest('base64url')
    .slice(0, 16);
}
