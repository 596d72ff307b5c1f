// Client-side rate limiters shared by every client instance in the process.
//
// Limits belong to the remote credential, not to a client object: two syncs or
// a sync plus a document upload for the same integration must share one
// budget, so limiters live in a process-wide map keyed by (tool, credential,
// bucket). Keys never contain secrets (callers pass a client id or a hash).
import Bottleneck from 'bottleneck';

export interface RateLimit {
  /** Requests allowed per window. */
  perMinute: number;
  /** Optional tighter burst limit. */
  perSecond?: number;
  /** At most this many requests in flight at once. */
  maxConcurrent?: number;
}

const limiters = new Map<string, Bottleneck>();

/**
 * Spacing requests evenly (Bottleneck `minTime`) keeps every sliding window
 * under both limits regardless of how the server aligns its windows; a
 * fixed-window reservoir could allow twice the limit across a window edge.
 * `timeScale` > 1 shrinks the spacing for simulators that run time faster.
 */
export function minTimeFor(limit: RateLimit, timeScale = 1): number {
  const perMinute = 60_000 / limit.perMinute;
  const perSecond = limit.perSecond ? 1000 / limit.perSecond : 0;
  return Math.ceil(Math.max(perMinute, perSecond) / timeScale);
}

export function sharedLimiter(key: string, limit: RateLimit, timeScale = 1): Bottleneck {
  const minTime = minTimeFor(limit, timeScale);
  const maxConcurrent = limit.maxConcurrent ?? 4;
  // Settings are part of the key so a test with a sped-up clock never reuses a real-time limiter.
  const fullKey = `${key}|${minTime}|${maxConcurrent}`;
  let limiter = limiters.get(fullKey);
  if (!limiter) {
    limiter = new Bottleneck({ minTime, maxConcurrent });
    limiters.set(fullKey, limiter);
  }
  return limiter;
}

/** Test helper: forget all limiters (they hold no timers while idle). */
export function resetSharedLimiters(): void {
  for (const l of limiters.values()) void l.disconnect();
  limiters.clear();
}
