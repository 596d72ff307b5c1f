import { ConfigError, Env, int, str } from '../config/config';

/** Sync engine tuning (docs/configuration.md); part of GatewayConfig (`config.sync`), read once with it. */
export interface SyncConfig {
  /** How often each process looks for due schedules, stale runs and queued work. */
  pollMs: number;
  /** How often a running sync proves it is alive. */
  heartbeatMs: number;
  /** A RUNNING run whose heartbeat is older than this is taken over (its process is presumed dead). */
  staleMs: number;
  /**
   * Run slots per process, one pool per kind, so neither starves the other: full syncs
   * (heavy: pages of a whole company in flight; their number bounds memory) and light runs
   * (deltas and webhook-triggered re-reads: a few requests, mostly waiting on the HRIS).
   */
  fullConcurrency: number;
  deltaConcurrency: number;
  /** Defaults for integrations without their own settings. */
  deltaIntervalMinutes: number;
  fullIntervalMinutes: number;
  /** First retry delay after a transient failure; doubles per consecutive failure, capped by retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A run still going after this long is stopped and ends TIMED_OUT. */
  runTimeoutMs: number;
}

export function loadSyncConfig(env: Env): SyncConfig {
  const heartbeatMs = int(env, 'SYNC_HEARTBEAT_MS', 5_000, 50, 600_000);
  const staleMs = int(env, 'SYNC_STALE_MS', 60_000, 200, 3_600_000);
  if (staleMs < heartbeatMs * 2) throw new ConfigError('SYNC_STALE_MS', `must be at least twice SYNC_HEARTBEAT_MS (${heartbeatMs * 2})`);
  return {
    pollMs: int(env, 'SYNC_POLL_MS', 2_000, 20, 600_000),
    heartbeatMs,
    staleMs,
    ...runSlots(env),
    deltaIntervalMinutes: int(env, 'SYNC_DELTA_INTERVAL_MINUTES', 5, 1, 10_080),
    fullIntervalMinutes: int(env, 'SYNC_FULL_INTERVAL_MINUTES', 360, 1, 10_080),
    retryBaseMs: int(env, 'SYNC_RETRY_BASE_MS', 30_000, 10, 86_400_000),
    retryMaxMs: int(env, 'SYNC_RETRY_MAX_MS', 30 * 60_000, 10, 86_400_000),
    runTimeoutMs: int(env, 'SYNC_RUN_TIMEOUT_MS', 6 * 3_600_000, 1_000, 7 * 86_400_000),
  };
}

/** Default full syncs at once: the old default of all runs, so a full sync's memory budget is unchanged. */
const FULL_CONCURRENCY = 2;
/**
 * Default light runs at once. Runs in flight = runs per second × seconds per run: 10,000
 * integrations on a 5-minute delta are ~33 runs/s, at ~0.3–1 s each (a real HRIS) 10–33 in
 * flight on average; twice that absorbs the bursts after a stall (benchmarks.md#scheduler).
 */
const DELTA_CONCURRENCY = 64;

/**
 * SYNC_FULL_CONCURRENCY and SYNC_DELTA_CONCURRENCY. SYNC_CONCURRENCY, the single pool they
 * replaced, is still read as the default of both (full syncs never above their own default),
 * so a deployment that set it keeps its intent: no pool above what it allowed.
 */
function runSlots(env: Env): Pick<SyncConfig, 'fullConcurrency' | 'deltaConcurrency'> {
  const legacy = str(env, 'SYNC_CONCURRENCY') === undefined ? null : int(env, 'SYNC_CONCURRENCY', FULL_CONCURRENCY, 1, 256);
  return {
    fullConcurrency: int(env, 'SYNC_FULL_CONCURRENCY', Math.min(legacy ?? FULL_CONCURRENCY, FULL_CONCURRENCY), 1, 64),
    deltaConcurrency: int(env, 'SYNC_DELTA_CONCURRENCY', legacy ?? DELTA_CONCURRENCY, 1, 256),
  };
}

/** Injects `config.sync` of the GatewayConfig. */
export const SYNC_CONFIG = Symbol('SYNC_CONFIG');
