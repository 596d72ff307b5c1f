/**
 * Per-key sliding window. BambooHR publishes no numbers (NOTES §6), so limit and window are
 * options; times are SimClock.monotonic() ms so timeScale shortens windows.
 */
export class KeyWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(readonly limit: number, readonly windowMs: number) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new Error('rate limit needs requests >= 1 and windowMs > 0');
  }

  /** Records the hit; when over the limit returns the ms until the oldest hit leaves the window. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    let list = this.hits.get(key);
    if (!list) this.hits.set(key, (list = []));
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop] <= from) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length >= this.limit) return { ok: false, retryAfterMs: Math.max(1, list[0] + this.windowMs - now) };
    list.push(now);
    return { ok: true };
  }
}
