// Normalisers for HRIS field values, shared by the connectors. HRIS APIs are loose
// about types: numbers arrive as strings ("40", "40,5"), unset text as "" or null,
// empty dates as "0000-00-00" (BambooHR), dates with the account's UTC offset
// (Personio), tags as CSV or as a JSON-encoded string.
// Every function here is total: odd input gives null, never an exception.

/** Trimmed string, or null for null/undefined/""/whitespace; numbers are stringified. */
export function text(v: unknown): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Work and personal e-mails: trimmed, the domain lower-cased (Kombo's schema allows
 * only lower-case domains; the local part may be case-sensitive, so it is kept).
 * Kombo: "If the email address is invalid, we will set this to null."
 */
export function email(v: unknown): string | null {
  const t = text(v);
  if (t === null || !EMAIL.test(t)) return null;
  const at = t.lastIndexOf('@');
  return t.slice(0, at + 1) + t.slice(at + 1).toLowerCase();
}

/**
 * A number from a number or a string in either decimal notation ("38.5",
 * "40,5", "1.234,5", "1,234.5"). Empty or unparseable gives null.
 */
export function decimal(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const t = text(v);
  if (t === null) return null;
  let s = t.replace(/[\s\u00a0']/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma > lastDot) s = s.replace(/\./g, '').replace(',', '.');
  else if (lastComma !== -1) s = s.replace(/,/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** "+01:00" / "+0100" / "Z" → minutes east of UTC; null when absent or malformed. */
export function parseUtcOffset(v: string | undefined | null): number | null {
  if (!v) return null;
  if (v === 'Z' || v === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(v.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function isoMidnight(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  // Reject rolled-over dates such as 2021-02-30 or the empty date "0000-00-00" (Personio, BambooHR).
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString();
}

function fromYmd(ymd: string): string | null {
  const m = PLAIN_DATE.exec(ymd);
  return m ? isoMidnight(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/**
 * A calendar date (birthday, hire date) as midnight UTC of the day Personio
 * shows. Personio sends `1986-01-01T00:00:00+01:00`: converting that instant
 * to UTC would give 1985-12-31, so the local date part is kept as is. Only a
 * value with a real time of day (e.g. a UTC instant `1985-12-31T23:00:00Z`)
 * is converted into the account's offset first.
 */
export function calendarDate(v: unknown, accountOffsetMinutes: number | null = null): string | null {
  const t = text(v);
  if (t === null) return null;
  if (PLAIN_DATE.test(t)) return fromYmd(t);
  const g = GERMAN_DATE.exec(t);
  if (g) return isoMidnight(Number(g[3]), Number(g[2]), Number(g[1]));
  const m = DATE_TIME.exec(t);
  if (!m) return null;
  const [, ymd, hh, mm, ss, zone] = m;
  const midnight = hh === '00' && mm === '00' && (ss === undefined || ss === '00');
  if (midnight || zone === undefined) return fromYmd(ymd);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return null;
  const offset = accountOffsetMinutes ?? parseUtcOffset(zone) ?? 0;
  return fromYmd(new Date(ms + offset * 60_000).toISOString().slice(0, 10));
}

/** A point in time (created_at, last_modified_at) as an ISO UTC instant. */
export function instant(v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  if (PLAIN_DATE.test(t)) return fromYmd(t);
  if (!DATE_TIME.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * Tags: a real array, a JSON-encoded list ('["A","B"]') or a comma-separated
 * string ("A, B"). null/"" → null (unset); an explicit empty list → [].
 */
export function tags(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(text).filter((s): s is string => s !== null);
  const t = text(v);
  if (t === null) return null;
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed)) return parsed.map(text).filter((s): s is string => s !== null);
    } catch {
      // Not JSON after all (a tag may start with "["): fall through to CSV.
    }
  }
  return t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The account's UTC offset as shown in a date string, if it carries one. */
export function offsetOf(v: unknown): number | null {
  const t = text(v);
  const m = t === null ? null : DATE_TIME.exec(t);
  return m?.[5] ? parseUtcOffset(m[5]) : null;
}
