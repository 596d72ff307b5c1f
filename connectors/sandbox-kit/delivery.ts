// Bookkeeping for a simulator's webhook deliveries: timers for first attempts and
// retries, a count of what is pending (waiting, in flight or scheduled), `idle()`
// for tests, and `stop()` on close. What is sent and how is each tool's.

export class DeliveryTimers {
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  private halted = false;

  get stopped(): boolean {
    return this.halted;
  }

  /** Runs `fn` after `ms`; it counts as pending until its promise settles. Nothing is scheduled once stopped. */
  later(ms: number, fn: () => void | Promise<void>): void {
    if (this.halted) return;
    this.pending++;
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        void Promise.resolve(fn()).finally(() => this.release());
      },
      Math.max(0, ms),
    );
    this.timers.add(t);
  }

  /** Resolves when nothing is waiting, in flight or scheduled for retry. */
  idle(timeoutMs: number): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`deliveries still pending after ${timeoutMs} ms (${this.pending} pending)`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  stop(): void {
    this.halted = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    this.wake();
  }

  private release(): void {
    this.pending = Math.max(0, this.pending - 1);
    if (this.pending === 0) this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
