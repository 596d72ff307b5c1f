import { SlidingWindow } from '../../sandbox-kit/rate-limit';

/**
 * Per-key sliding window. BambooHR publishes no numbers (NOTES §6), so limit and window are
 * options; over the limit, the answer says when to retry.
 */
export class KeyWindow {
  private readonly window: SlidingWindow;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error('rate limit needs requests >= 1 and windowMs > 0');
    this.window = new SlidingWindow(limit, windowMs);
  }

  /** Records the hit; when over the limit returns the ms until the oldest hit leaves the window. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const retryAfterMs = this.window.attempt(key, now);
    return retryAfterMs === null ? { ok: true } : { ok: false, retryAfterMs };
  }
}
