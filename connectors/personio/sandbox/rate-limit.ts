import { SlidingWindow } from '../../sandbox-kit/rate-limit';

export { SlidingWindow };

/** Personio's auth limit: past `limit` per window the key is locked out for `coolDownMs`. */
export class CoolDownLimiter {
  private readonly window: SlidingWindow;
  private readonly lockedUntil = new Map<string, number>();

  constructor(
    limit: number,
    windowMs: number,
    private readonly coolDownMs: number,
  ) {
    this.window = new SlidingWindow(limit, windowMs);
  }

  take(key: string, now: number): boolean {
    const until = this.lockedUntil.get(key);
    if (until !== undefined && now < until) return false;
    if (this.window.take(key, now)) return true;
    this.lockedUntil.set(key, now + this.coolDownMs);
    return false;
  }

  reset(): void {
    this.window.reset();
    this.lockedUntil.clear();
  }
}

/**
 * `POST /v2/auth/token`: past `limit` per window, requests are accepted at one per `slowEveryMs`
 * for the next `slowForMs` (NOTES §3.1: 150/min, then 1 req/s for 60 s).
 */
export class SlowDownLimiter {
  private readonly window: SlidingWindow;
  private readonly slowUntil = new Map<string, number>();
  private readonly lastSlow = new Map<string, number>();

  constructor(
    limit: number,
    windowMs: number,
    private readonly slowForMs: number,
    private readonly slowEveryMs: number,
  ) {
    this.window = new SlidingWindow(limit, windowMs);
  }

  take(key: string, now: number): boolean {
    const until = this.slowUntil.get(key);
    if (until !== undefined && now < until) {
      const last = this.lastSlow.get(key);
      if (last !== undefined && now - last < this.slowEveryMs) return false;
      this.lastSlow.set(key, now);
      return true;
    }
    if (this.window.take(key, now)) return true;
    this.slowUntil.set(key, now + this.slowForMs);
    this.lastSlow.set(key, now); // the next slot opens one interval after the refusal
    return false;
  }

  reset(): void {
    this.window.reset();
    this.slowUntil.clear();
    this.lastSlow.clear();
  }
}

/** A budget of `limit` units per sliding window (units, not requests: redelivered events). */
export class UnitWindow {
  private readonly spent = new Map<string, Array<[number, number]>>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  take(key: string, now: number, units: number): boolean {
    const list = (this.spent.get(key) ?? []).filter(([at]) => at > now - this.windowMs);
    this.spent.set(key, list);
    const used = list.reduce((sum, [, n]) => sum + n, 0);
    if (used + units > this.limit) return false;
    list.push([now, units]);
    return true;
  }
}

/**
 * Spring-Cloud-Gateway-style token bucket, as third parties observed on v2 (NOTES §4): `capacity`
 * tokens, refilled at `perSecond`; `remaining` feeds the `x-ratelimit-remaining` header.
 */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
  ) {}

  take(key: string, now: number): { ok: boolean; remaining: number } {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return { ok: false, remaining: 0 };
    b.tokens -= 1;
    return { ok: true, remaining: Math.floor(b.tokens) };
  }
}

export interface RateLimits {
  auth: CoolDownLimiter;
  authV2: SlowDownLimiter;
  redelivery: UnitWindow;
  persons: TokenBucket;
  employees: SlidingWindow;
  employeesBurst: SlidingWindow;
  documents: SlidingWindow;
  overall: SlidingWindow;
}

/** The live numbers (NOTES §4); windows are in simulated ms, so timeScale shortens them. */
export function liveRateLimits(): RateLimits {
  const minute = 60_000;
  return {
    auth: new CoolDownLimiter(60, minute, minute),
    authV2: new SlowDownLimiter(150, minute, minute, 1000),
    redelivery: new UnitWindow(500, 60 * minute),
    persons: new TokenBucket(100, 30),
    employees: new SlidingWindow(300, minute),
    employeesBurst: new SlidingWindow(15, 1000),
    documents: new SlidingWindow(60, minute),
    overall: new SlidingWindow(2000, minute),
  };
}
