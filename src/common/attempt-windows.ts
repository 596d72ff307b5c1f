import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { DataSource } from 'typeorm';

export interface AttemptWindow {
  /** Attempts counted in the current window. */
  count: number;
  /** When the window ends and counting starts over. */
  resetAt: Date;
}

/**
 * Fixed-window attempt counters in Postgres (attempt_windows), so every gateway process
 * behind the load balancer counts against one budget: a per-process counter would give
 * N replicas N times the attempts. A window opens with the first attempt under a key and
 * lasts `windowMs`; times come from the database clock. Ended windows are deleted by the
 * housekeeping job. Used for "Test connection" per connect link and dashboard sign-ins.
 */
@Injectable()
export class AttemptWindows {
  constructor(private readonly ds: DataSource) {}

  /** Counts one attempt under `key` (one statement, so concurrent attempts are all counted). */
  async hit(key: string, windowMs: number): Promise<AttemptWindow> {
    const [row]: { count: number; window_end: string }[] = await this.ds.query(
      `INSERT INTO attempt_windows AS w (key, count, window_end) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN w.window_end > now() THEN w.count + 1 ELSE 1 END,
         window_end = CASE WHEN w.window_end > now() THEN w.window_end ELSE EXCLUDED.window_end END
       RETURNING count, window_end`,
      [key, windowMs],
    );
    return { count: Number(row.count), resetAt: new Date(row.window_end) };
  }

  /** Takes back one attempt of the current window (one that turned out not to count, e.g. a successful sign-in). */
  async refund(key: string): Promise<void> {
    await this.ds.query(`UPDATE attempt_windows SET count = count - 1 WHERE key = $1 AND count > 0 AND window_end > now()`, [key]);
  }
}

/** The address failures are counted under; an IPv6 client by its /64, which one host usually has to itself. */
export function clientKey(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return ip || 'unknown';
  const addr = ipaddr.process(ip); // unwraps ::ffff:a.b.c.d
  if (addr.kind() === 'ipv4') return addr.toString();
  return `${(addr as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/** Whole seconds until `resetAt`, at least 1: a Retry-After header. */
export function secondsUntil(resetAt: Date): number {
  return Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
}

/** Whole minutes until `resetAt`, at least 1: what a "try again in N minutes" message says. */
export function minutesUntil(resetAt: Date): number {
  return Math.ceil(secondsUntil(resetAt) / 60);
}
