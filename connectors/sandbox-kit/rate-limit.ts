/**
 * Sliding-window counter per key, the rate limit every simulator models; times are simulated ms
 * from SimClock.monotonic(), so timeScale shortens windows.
 */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Records the hit and returns true when it is within the limit; rejected hits are not counted. */
  take(key: string, now: number): boolean {
    return this.attempt(key, now) === null;
  }

  /** Like take(); on refusal returns the ms until the oldest hit leaves the window (null = taken). */
  attempt(key: string, now: number): number | null {
    let list = this.hits.get(key);
    if (!list) this.hits.set(key, (list = []));
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop] <= from) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length >= this.limit) return Math.max(1, list[0] + this.windowMs - now);
    list.push(now);
    return null;
  }

  reset(): void {
    this.hits.clear();
  }
}
