import { backoffDelay } from '../../connectors/http/backoff';
import { WebhookConfig } from './webhooks.config';

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed';

/** What one HTTP attempt came to, before the retry policy is applied. */
export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  /** Null on a 2xx; otherwise a short reason (never the response body, which may echo secrets). */
  error: string | null;
  /** Timeouts, connection errors, 408, 429 and 5xx are worth retrying; other answers are not. */
  retryable: boolean;
}

/** ±25 % jitter spreads the retries of many deliveries that failed together (a receiver outage). */
const WEBHOOK_JITTER = [0.75, 1.25] as const;

/** Delay before retry number `attempt` (1 = the first retry): doubling from retryBaseMs, capped at retryMaxDelayMs, jittered; at least 1 ms. */
export function retryDelay(attempt: number, config: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxDelayMs'>, random = Math.random): number {
  return Math.max(1, backoffDelay({ baseDelayMs: config.retryBaseMs, maxDelayMs: config.retryMaxDelayMs, jitter: WEBHOOK_JITTER }, attempt, random));
}

/**
 * Applies the retry policy: a retryable failure is retried with backoff until the retry
 * window (measured from the first attempt) runs out; the last retry lands exactly at the
 * window's end, so a delivery is retried for the whole window and then marked failed.
 */
export function decide(
  result: SendResult,
  attempt: number,
  firstAttemptAt: Date,
  config: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxDelayMs' | 'retryWindowMs'>,
  now = Date.now(),
  random = Math.random,
): { outcome: AttemptOutcome; nextAttemptAt: Date | null } {
  if (result.error === null) return { outcome: 'succeeded', nextAttemptAt: null };
  if (!result.retryable) return { outcome: 'failed', nextAttemptAt: null };
  const deadline = firstAttemptAt.getTime() + config.retryWindowMs;
  if (now >= deadline) return { outcome: 'failed', nextAttemptAt: null };
  const next = Math.min(now + retryDelay(attempt, config, random), deadline);
  return { outcome: 'retry', nextAttemptAt: new Date(next) };
}
