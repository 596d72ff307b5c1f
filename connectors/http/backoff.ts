// Small retry helpers: abortable sleeps and the one jittered exponential backoff
// of the project (connectors, the database connect, sync retries, webhook
// retries, document upload retries). Hand-written (a dozen lines) rather than a
// dependency, because the decision *what* to retry is each caller's anyway.
import { ConnectorError } from '../connector';

export interface BackoffPolicy {
  /** First retry waits about this long (before jitter). */
  baseDelayMs: number;
  /** The doubling stops here (jitter applies after the cap). */
  maxDelayMs: number;
  /**
   * The delay is the capped exponential times a factor drawn uniformly from
   * [low, high]. Default [0.5, 1], "equal jitter": half fixed, half random, so
   * retries from many clients spread out but never collapse to ~0 ms.
   */
  jitter?: readonly [low: number, high: number];
}

export const EQUAL_JITTER = [0.5, 1] as const;

/**
 * Delay before retry number `attempt` (1 = the first retry): doubling from the
 * base, capped, jittered. `random` is injectable so tests can pin delays.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  // The exponent is bounded so a long failure streak cannot reach Infinity (0 × Infinity is NaN).
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(40, Math.max(0, attempt - 1)));
  const [low, high] = policy.jitter ?? EQUAL_JITTER;
  return Math.round(exp * (low + random() * (high - low)));
}

export function abortedError(): ConnectorError {
  return new ConnectorError('ABORTED', 'The operation was aborted');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

/** Resolves after ms, or rejects with an ABORTED ConnectorError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
