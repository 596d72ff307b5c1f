/**
 * Personio renders dates in the account's time zone with a numeric offset
 * ("2014-11-09T00:00:00+01:00"), even for date-only attributes. We keep one fixed
 * offset per account (no DST switch), stored as minutes.
 */
export const DAY_MS = 86_400_000;

export function parseOffset(offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) throw new Error(`utcOffset must look like +01:00, got ${offset}`);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Day number (days since 1970-01-01) → "YYYY-MM-DD". */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isoToDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return ms / DAY_MS;
}

/** The account-local calendar day of an instant. */
export function localDay(ms: number, offsetMinutes: number): number {
  return Math.floor((ms + offsetMinutes * 60_000) / DAY_MS);
}

/** Midnight of an account-local day as an instant. */
export function dayStartMs(day: number, offsetMinutes: number): number {
  return day * DAY_MS - offsetMinutes * 60_000;
}

export class DateFormatter {
  readonly suffix: string;
  /** Rendering dominates page time; a company has only a few thousand distinct days. */
  private readonly dayCache = new Map<number, string>();

  constructor(readonly offsetMinutes: number) {
    this.suffix = formatOffset(offsetMinutes);
  }

  day(day: number): string {
    let s = this.dayCache.get(day);
    if (s === undefined) {
      s = `${dayToIso(day)}T00:00:00${this.suffix}`;
      if (this.dayCache.size < 100_000) this.dayCache.set(day, s);
    }
    return s;
  }

  instant(ms: number): string {
    const local = new Date(Math.floor(ms / 1000) * 1000 + this.offsetMinutes * 60_000);
    return `${local.toISOString().slice(0, 19)}${this.suffix}`;
  }

  /**
   * `updated_since` accepts `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss` (account-local) and the same
   * with `Z` or an offset. Returns ms or null when unparseable.
   */
  parseSince(raw: string): number | null {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(raw.trim());
    if (!m) return null;
    const day = isoToDay(m[1]);
    if (day === null) return null;
    const secs = m[2] === undefined ? 0 : Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
    const zone = m[5];
    const offset = zone === undefined ? this.offsetMinutes : zone === 'Z' ? 0 : parseOffset(zone);
    return dayStartMs(day, offset) + secs * 1000;
  }
}
