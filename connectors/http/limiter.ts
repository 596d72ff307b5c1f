// Client-side rate limiters shared by every client instance in the process.
//
// Limits belong to the remote credential, not to a client object: two syncs or
// a sync plus a document upload for the same integration must share one
// budget, so limiters live in a process-wide map keyed by (tool, credential,
// bucket). Keys never contain secrets (callers pass a client id or a hash).
import Bottleneck from 'bottleneck';

export interface RateLimit {
  /** Requests allowed in any sliding minute. */
  perMinute: number;
  /** Optional tighter burst limit: requests allowed in any sliding second. */
  perSecond?: number;
  /** At most this many requests in flight at once. */
  maxConcurrent?: number;
}

/**
 * A log of the last `perMinute` send times: a request goes no earlier than
 * `1000/perSecond` ms after the one before it and no earlier than a minute after
 * the one `perMinute` places before it. So every sliding second holds at most
 * `perSecond` and every sliding minute at most `perMinute`, whatever the
 * server's window alignment, and a small job uses the burst allowance (15/s)
 * instead of the even spacing of the minute budget. Bottleneck's reservoir is a
 * fixed window or a heartbeat-fed bucket: the first can allow twice the limit
 * across a window edge, the second must give up either the burst or a tenth of
 * the budget to stay under both (docs/benchmarks.md). Times are taken when the
 * request really goes (a late timer cannot squeeze two into one window); the
 * check and the record are one synchronous step, so concurrent callers never
 * share a slot. `timeScale` > 1 shrinks both windows for simulators.
 */
export class SlidingWindowLog {
  /** Send times of the last minute, oldest first, from `head` on (memory: what was sent, not the limit). */
  private sent: number[] = [];
  private head = 0;
  private last = -Infinity;
  private readonly spacingMs: number;
  private readonly minuteMs: number;

  constructor(
    private readonly limit: RateLimit,
    timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = limit.perSecond ? 1000 / limit.perSecond / timeScale : 0;
    this.minuteMs = 60_000 / timeScale;
  }

  /** 0 when a request may go now (and records it), else the ms to wait before asking again. */
  take(): number {
    const now = this.now();
    while (this.head < this.sent.length && this.sent[this.head] <= now - this.minuteMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent = this.sent.slice(this.head);
      this.head = 0;
    }
    let earliest = this.last + this.spacingMs;
    // The oldest send still in the window leaves it one minute after it went.
    if (this.sent.length - this.head >= this.limit.perMinute) earliest = Math.max(earliest, this.sent[this.head] + this.minuteMs);
    if (earliest > now) return earliest - now;
    this.sent.push(now);
    this.last = now;
    return 0;
  }
}

export interface SharedLimiter {
  schedule<T>(fn: () => Promise<T>): Promise<T>;
}

/** A limiter of its own (sharedLimiter hands out one per key and settings; tests take fresh ones). */
export class WindowedLimiter implements SharedLimiter {
  private readonly window: SlidingWindowLog;
  /** Bottleneck only bounds concurrency; the window decides when. */
  readonly concurrency: Bottleneck;

  constructor(limit: RateLimit, timeScale: number) {
    this.window = new SlidingWindowLog(limit, timeScale);
    this.concurrency = new Bottleneck({ maxConcurrent: limit.maxConcurrent ?? 4 });
  }

  schedule<T>(fn: () => Promise<T>): Promise<T> {
    return this.concurrency.schedule(async () => {
      for (let waitMs = this.window.take(); waitMs > 0; waitMs = this.window.take()) {
        await new Promise((r) => setTimeout(r, Math.ceil(waitMs)));
      }
      return fn();
    });
  }
}

const limiters = new Map<string, WindowedLimiter>();

export function sharedLimiter(key: string, limit: RateLimit, timeScale = 1): SharedLimiter {
  // Settings are part of the key so a test with a sped-up clock never reuses a real-time limiter.
  const fullKey = `${key}|${limit.perMinute}|${limit.perSecond ?? 0}|${limit.maxConcurrent ?? 4}|${timeScale}`;
  let limiter = limiters.get(fullKey);
  if (!limiter) {
    limiter = new WindowedLimiter(limit, timeScale);
    limiters.set(fullKey, limiter);
  }
  return limiter;
}

/** Test helper: forget all limiters (they hold no timers while idle), so tests reusing one credential start with a fresh budget. */
export function resetSharedLimiters(): void {
  for (const l of limiters.values()) void l.concurrency.disconnect();
  limiters.clear();
}
