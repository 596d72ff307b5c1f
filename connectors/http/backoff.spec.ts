import { backoffDelay, sleep } from './backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelay', () => {
  it('doubles from the base per attempt, with equal jitter by default (half fixed, half random)', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0))).toEqual([50, 100, 200, 400]);
  });

  it('stops doubling at the cap, however long the failure streak', () => {
    expect(backoffDelay(policy, 5, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 50, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 10_000, () => 0.5)).toBe(750);
  });

  it('treats attempts below one as the first', () => {
    expect(backoffDelay(policy, 0, () => 1)).toBe(100);
    expect(backoffDelay(policy, -3, () => 1)).toBe(100);
  });

  it('spreads the delay over the jitter range given, after the cap', () => {
    const jittered = { ...policy, jitter: [0.8, 1.2] as const };
    expect(backoffDelay(jittered, 1, () => 0)).toBe(80);
    expect(backoffDelay(jittered, 1, () => 0.5)).toBe(100);
    expect(backoffDelay(jittered, 20, () => 1)).toBe(1200);
  });

  it('stays within the range with the real random source', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(policy, 3);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('never yields NaN for a zero base', () => {
    expect(backoffDelay({ baseDelayMs: 0, maxDelayMs: 10 }, 5000)).toBe(0);
  });
});

describe('sleep', () => {
  it('rejects with ABORTED when the signal fires', async () => {
    const abort = new AbortController();
    const slept = sleep(10_000, abort.signal);
    abort.abort();
    await expect(slept).rejects.toMatchObject({ kind: 'ABORTED' });
  });

  it('rejects at once on an already aborted signal', async () => {
    await expect(sleep(1, AbortSignal.abort())).rejects.toMatchObject({ kind: 'ABORTED' });
  });
});
