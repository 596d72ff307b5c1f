// The shared limiter against Personio's limits, on jest's fake clock: every
// sliding second and minute of send times is counted, so the test needs no real
// waiting and cannot flake on a slow machine.
import { DEFAULT_LIMITS } from '../personio/client-options';
import { SlidingWindowLog, WindowedLimiter } from './limiter';

/** Most sends in any half-open window of `ms` (the server's sliding window). */
function maxInWindow(times: number[], ms: number): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

async function sendAll(n: number, timeScale = 1): Promise<number[]> {
  // A fresh limiter per test: no window state carries over from another test.
  const limiter = new WindowedLimiter(DEFAULT_LIMITS.employees, timeScale);
  const start = Date.now();
  const sent: number[] = [];
  const jobs = Array.from({ length: n }, () => limiter.schedule(async () => void sent.push(Date.now() - start)));
  let done = false;
  void Promise.all(jobs).then(() => (done = true));
  while (!done) await jest.advanceTimersByTimeAsync(50);
  return sent;
}

describe('WindowedLimiter (Personio employees: 300/min, 15/s)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never exceeds 15 in any second nor 300 in any minute over three minutes of demand', async () => {
    const sent = await sendAll(900);
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(14);
    expect(maxInWindow(sent, 60_000)).toBeLessThanOrEqual(295);
    // Large companies keep ≥ 90 % of the budget: 900 requests in a little over three minutes.
    expect(sent[899]).toBeLessThan((900 / 270) * 60_000);
  });

  it('lets a 50-page company use the burst allowance: all 50 within 4 s', async () => {
    const sent = await sendAll(50);
    expect(sent[49]).toBeLessThan(4000);
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(14);
  });

  it('timeScale shrinks both windows alike', async () => {
    const sent = await sendAll(600, 60);
    expect(maxInWindow(sent, 1000 / 60)).toBeLessThanOrEqual(14);
    expect(maxInWindow(sent, 1000)).toBeLessThanOrEqual(295);
  });
});

describe('SlidingWindowLog', () => {
  it('counts the time a request really went, not the time it was promised', () => {
    let now = 0;
    const log = new SlidingWindowLog({ perMinute: 2 }, 1, () => now);
    expect(log.take()).toBe(0);
    now = 500; // a timer that fired late
    expect(log.take()).toBe(0);
    now = 60_000;
    expect(log.take()).toBe(0);
    expect(log.take()).toBe(500); // the second one went at 500, so the fourth waits for 60,500
  });
});
