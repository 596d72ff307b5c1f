// Small retry helpers shared by connectors: abortable sleeps and jittered
// exponential backoff. Hand-written (a dozen lines) rather than a dependency,
// because the decision *what* to retry is connector specific anyway.
import { ConnectorError } from '../connector';

export interface BackoffPolicy {
  /** First retry waits about this long (before jitter). */
  baseDelayMs: number;
  /** No single wait exceeds this. */
  maxDelayMs: number;
}

/**
 * "Equal jitter": half the exponential delay is fixed, half random, so retries
 * from many clients spread out but never collapse to ~0 ms.
 * attempt is 1 for the first retry.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
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
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
