import { ConfigError, Env, int } from '../config/config';

/**
 * Delivery settings; part of GatewayConfig (`config.webhooks`), read once with it.
 * Defaults suit production; tests and benchmarks shrink the retry schedule and poll interval.
 */
export interface WebhookConfig {
  /** How often an idle worker looks for due deliveries. */
  pollMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** First retry delay; each further retry doubles it (± jitter) up to retryMaxDelayMs. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** How long after its first attempt a delivery keeps being retried before it is marked failed. */
  retryWindowMs: number;
  /** Deliveries in flight per process. */
  workerConcurrency: number;
  /** Deliveries in flight per endpoint, across every process on the database. */
  endpointConcurrency: number;
  /** How long a claim lasts; a process killed mid-delivery loses its claims after this. */
  leaseMs: number;
  /** How long the previous secret stays valid after a rotation. */
  secretGraceMs: number;
}

const HOUR = 3_600_000;

export function loadWebhookConfig(env: Env): WebhookConfig {
  const timeoutMs = int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000);
  const config: WebhookConfig = {
    pollMs: int(env, 'WEBHOOK_POLL_MS', 200, 10, 60_000),
    timeoutMs,
    retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 1, HOUR),
    retryMaxDelayMs: int(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', 4 * HOUR, 1, 24 * HOUR),
    retryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_MS', 25 * HOUR, 1, 30 * 24 * HOUR),
    workerConcurrency: int(env, 'WEBHOOK_WORKER_CONCURRENCY', 256, 1, 1000),
    endpointConcurrency: int(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 64, 1, 1000),
    leaseMs: int(env, 'WEBHOOK_LEASE_MS', timeoutMs + 20_000, 1000, HOUR),
    secretGraceMs: int(env, 'WEBHOOK_SECRET_GRACE_MS', 24 * HOUR, 0, 30 * 24 * HOUR),
  };
  if (config.leaseMs <= config.timeoutMs) throw new ConfigError('WEBHOOK_LEASE_MS', `must be longer than WEBHOOK_TIMEOUT_MS (${config.timeoutMs})`);
  return config;
}

/** Injects `config.webhooks` of the GatewayConfig. */
export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
