import { decide, retryDelay, SendResult } from './retry';

const config = { retryBaseMs: 1000, retryMaxDelayMs: 8000, retryWindowMs: 60_000 };
const failed = (retryable: boolean): SendResult => ({ statusCode: retryable ? 503 : 400, latencyMs: 5, error: 'HTTP 503', retryable });
const first = new Date('2026-01-01T00:00:00Z');
const t0 = first.getTime();

describe('retryDelay', () => {
  it('doubles from the base up to the cap, with ±25 % jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, config, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(retryDelay(1, config, () => 0)).toBe(750);
    expect(retryDelay(1, config, () => 1)).toBe(1250);
  });

  it('is never below 1 ms', () => {
    expect(retryDelay(1, { retryBaseMs: 1, retryMaxDelayMs: 1 }, () => 0)).toBe(1);
  });
});

describe('decide', () => {
  it('a 2xx succeeds with no next attempt', () => {
    expect(decide({ statusCode: 200, latencyMs: 3, error: null, retryable: false }, 1, first, config, t0)).toEqual({
      outcome: 'succeeded',
      nextAttemptAt: null,
    });
  });

  it('an answer not worth retrying fails at once', () => {
    expect(decide(failed(false), 1, first, config, t0)).toEqual({ outcome: 'failed', nextAttemptAt: null });
  });

  it('a retryable failure is retried after the backoff delay', () => {
    const r = decide(failed(true), 2, first, config, t0 + 5000, () => 0.5);
    expect(r).toEqual({ outcome: 'retry', nextAttemptAt: new Date(t0 + 5000 + 2000) });
  });

  it('the last retry lands exactly at the end of the window', () => {
    const r = decide(failed(true), 9, first, config, t0 + 58_000, () => 0.5);
    expect(r).toEqual({ outcome: 'retry', nextAttemptAt: new Date(t0 + 60_000) });
  });

  it('once the window has run out the delivery fails', () => {
    expect(decide(failed(true), 10, first, config, t0 + 60_000)).toEqual({ outcome: 'failed', nextAttemptAt: null });
  });
});
