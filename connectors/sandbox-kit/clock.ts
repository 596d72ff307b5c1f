/**
 * Simulated time. It runs `timeScale` times faster than real time and can be set or advanced.
 * Rate-limit windows use a separate monotonic reading (scaled real time plus every
 * advanceClock), so setting the clock backwards never resurrects old windows.
 */
export class SimClock {
  private baseSim: number;
  private baseReal: number;
  private advanced = 0;

  constructor(
    private readonly timeScale: number,
    start?: Date,
  ) {
    if (!(timeScale > 0)) throw new Error('timeScale must be > 0');
    this.baseReal = performance.now();
    this.baseSim = start ? start.getTime() : Date.now();
  }

  now(): number {
    return this.baseSim + (performance.now() - this.baseReal) * this.timeScale;
  }

  set(at: Date): void {
    this.baseReal = performance.now();
    this.baseSim = at.getTime();
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('advanceClock takes a non-negative number of ms');
    this.baseSim += ms;
    this.advanced += ms;
  }

  /** Monotonic simulated ms for rate-limit windows. */
  monotonic(): number {
    return performance.now() * this.timeScale + this.advanced;
  }
}
