// The one loop every background worker runs on (sync scheduler, webhook delivery,
// inbound events, subscription checks, housekeeping): rounds one at a time, a poll
// interval as the fallback, wake-ups (a commit that made work, database/wake.ts) that
// bring the next round forward, errors logged rather than thrown, and a stop that
// waits for the round under way.
import type { GatewayLogger } from './logger';

export interface PollingLoopOptions {
  /** Names the loop in the log line of a failed round ("<name> failed"). */
  name: string;
  /** One round. A number returned is the wait before the next round (ms); otherwise intervalMs. */
  tick: () => Promise<number | void>;
  /** Wait between rounds when a round names none, and after a round that failed. */
  intervalMs: number;
  log: GatewayLogger;
  /** The loop's timers do not keep the process alive (work that can wait for the next start). */
  unref?: boolean;
}

export class PollingLoop {
  private running = false;
  private ticking: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private immediate = false;
  /** Earliest round asked for while one was under way (epoch ms): it comes once that round ends. */
  private requested: number | null = null;

  constructor(private readonly opts: PollingLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the rounds, the first after `delayMs`. No-op when running. */
  start(delayMs = 0): void {
    if (this.running) return;
    this.running = true;
    this.wake(delayMs);
  }

  /**
   * Asks for a round within `delayMs` (0: on the next turn of the event loop). An
   * earlier request wins over a later one; during a round, another round follows it.
   */
  wake(delayMs = 0): void {
    if (!this.running) return;
    if (this.ticking) {
      const due = Date.now() + Math.max(0, delayMs);
      this.requested = Math.min(this.requested ?? Infinity, due);
      return;
    }
    this.schedule(delayMs);
  }

  /** Stops the rounds; resolves once the round under way (if any) has ended. */
  stop(): Promise<void> {
    this.running = false;
    this.requested = null;
    this.clearTimer();
    return this.ticking ?? Promise.resolve();
  }

  private schedule(delayMs: number): void {
    if (this.immediate) return; // a round comes on the next turn anyway
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    this.clearTimer();
    if (delayMs <= 0) {
      this.immediate = true;
      setImmediate(() => {
        this.immediate = false;
        this.round();
      });
      return;
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round();
    }, delayMs);
    if (this.opts.unref) this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private round(): void {
    if (!this.running || this.ticking) return;
    this.clearTimer();
    let next = this.opts.intervalMs;
    this.ticking = (async () => {
      try {
        const ms = await this.opts.tick();
        if (typeof ms === 'number') next = ms;
      } catch (e) {
        this.opts.log.error({ err: e }, `${this.opts.name} failed`);
      }
    })().finally(() => {
      this.ticking = null;
      if (!this.running) return;
      const requested = this.requested;
      this.requested = null;
      this.schedule(requested === null ? next : Math.min(next, Math.max(0, requested - Date.now())));
    });
  }
}
