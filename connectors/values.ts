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

/**
 * `out[key] = value` for a key an HRIS chose (an attribute or field name). Assigning
 * "__proto__" sets the object's prototype (or, for a value that is no object, does nothing)
 * instead of making a property. JSON.parse makes it an own property, and so does this: the
 * field is kept like any other (serialised, stored, shown) and no object's prototype changes.
 */
export function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
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

// Dates are checked and written by arithmetic, not through a Date: Date#toISOString costs
// ~2 µs, several times per employee on every full sync (issue #18).

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad4 = (n: number) => (n < 1000 ? (n < 100 ? (n < 10 ? '000' : '00') : '0') : '') + n;

/**
 * Midnight UTC of a calendar day, or null for an impossible day such as 2021-02-30 or
 * the empty date "0000-00-00" (Personio, BambooHR). Years before 100 are refused too:
 * they used to go through Date.UTC, which reads them as 19xx, so they never matched.
 */
function isoMidnight(y: number, m: number, d: number): string | null {
  if (y < 100 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}T00:00:00.000Z`;
}

/** The number written by `length` ASCII digits of `s` at `at` (the caller has matched them). */
function digits(s: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

/** isoMidnight of the YYYY-MM-DD that `s` starts with (matched by PLAIN_DATE or DATE_TIME). */
function fromYmd(s: string): string | null {
  return isoMidnight(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
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
  const [, , hh, mm, ss, zone] = m;
  const midnight = hh === '00' && mm === '00' && (ss === undefined || ss === '00');
  if (midnight || zone === undefined) return fromYmd(t);
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
  const fast = plainInstant(t);
  if (fast !== null) return fast;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`: how Personio writes timestamps. */
const PLAIN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * instant() of a timestamp in Personio's own form, by arithmetic; null when `t` has
 * another form or an edge (impossible day, 24:00, a year near 0 or 9999) that is
 * left to Date.parse, which rolls some of them over rather than refusing them.
 */
function plainInstant(t: string): string | null {
  if (!PLAIN_INSTANT.test(t)) return null;
  const y = digits(t, 0, 4);
  const mo = digits(t, 5, 2);
  const d = digits(t, 8, 2);
  const h = digits(t, 11, 2);
  const mi = digits(t, 14, 2);
  const s = digits(t, 17, 2);
  if (y < 1001 || y > 9998 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  let offset = 0;
  if (t.length > 20) {
    const oh = digits(t, 20, 2);
    const om = digits(t, 23, 2);
    if (oh > 23 || om > 59) return null;
    offset = (t.charCodeAt(19) === 45 /* - */ ? -1 : 1) * (oh * 60 + om);
  }
  // Minutes since 1970-01-01T00:00Z, then back to the calendar (days_from_civil / civil_from_days, H. Hinnant).
  const minutes = daysFromCivil(y, mo, d) * 1440 + h * 60 + mi - offset;
  const days = Math.floor(minutes / 1440);
  const inDay = minutes - days * 1440;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(inDay / 60))}:${pad2(inDay % 60)}:${t.slice(17, 19)}.000Z`;
}

/** Days from 1970-01-01 to a (valid) proleptic Gregorian date. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Tags: a real array, a JSON-encoded list ('["A","B"]') or a comma-separated
 * string ("A, B"). null/"" → null (unset); an explicit empty list → [].
 */
export function tags(v: unknown): string[] | null {
  if (Array.isArray(v)) return texts(v);
  const t = text(v);
  if (t === null) return null;
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed)) return texts(parsed);
    } catch {
      // Not JSON after all (a tag may start with "["): fall through to CSV.
    }
  }
  const out: string[] = [];
  for (const part of t.split(',')) {
    const s = part.trim();
    if (s !== '') out.push(s);
  }
  return out;
}

/** The non-empty texts of a list, in order (see text). */
function texts(list: unknown[]): string[] {
  const out: string[] = [];
  for (const item of list) {
    const s = text(item);
    if (s !== null) out.push(s);
  }
  return out;
}

/** The account's UTC offset as shown in a date string, if it carries one. */
export function offsetOf(v: unknown): number | null {
  const t = text(v);
  const m = t === null ? null : DATE_TIME.exec(t);
  return m?.[5] ? parseUtcOffset(m[5]) : null;
}
