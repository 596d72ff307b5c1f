import * as path from 'node:path';
import { loadSyncConfig, type SyncConfig } from '../sync/sync.config';
import { loadWebhookConfig, type WebhookConfig } from '../webhooks/webhooks.config';
import type { HrisConnector } from '../../connectors/connector';
import { connectors } from '../../connectors/registry';
import { ConfigError } from './errors';
import { type Env, adminPassword, bool, frameAncestors, int, key, keyList, oneOf, retention, str, trustProxy, url } from './env-readers';

/**
 * Typed gateway configuration, read once from the environment at start-up.
 * A bad value stops the process with a message naming the variable.
 */
export interface GatewayConfig {
  port: number;
  host: string;
  /** Postgres connection string; null means the embedded PGlite database. */
  databaseUrl: string | null;
  /** Where the embedded database and its generated key live. */
  dataDir: string;
  logLevel: LogLevel;
  /** Public URL the gateway is reached at (connect links, log_url). */
  publicUrl: string;
  /** 32-byte key (base64 or hex) for credentials at rest; null → generated under dataDir (embedded only). */
  encryptionKey: string | null;
  /** Earlier encryption keys that still open values sealed before a rotation (ENCRYPTION_KEYS_PREVIOUS). */
  encryptionKeysPrevious: string[];
  /** Start although stored secrets need a key that is not configured (recovery after a lost key). */
  allowMissingEncryptionKeys: boolean;
  /** How long start-up keeps retrying an unreachable DATABASE_URL before giving up. */
  databaseConnectTimeoutSeconds: number;
  /** Lets webhook/data_url targets and connector base URLs point at loopback/private hosts (development only). */
  allowPrivateNetworkTargets: boolean;
  /** Largest JSON body accepted on ordinary routes. */
  bodyLimit: string;
  /** Disable the background scheduler/workers in this process (API-only replica). */
  role: 'all' | 'api' | 'worker';
  /** Each registered tool's own settings (`ToolSetting.key` → value), read from the variables its connector declares. */
  toolSettings: ToolSettings;
  /** Bearer token required on /metrics. */
  metricsToken: string | null;
  /** METRICS_PUBLIC: serve /metrics without a token. Without either, /metrics answers 401. */
  metricsPublic: boolean;
  /** Upper bound on requests per API key per minute (0 disables). */
  rateLimitPerMinute: number;
  /** Failed API authentications (401s) per client address per minute before 429s. */
  authFailuresPerMinute: number;
  /** How long a process keeps an authenticated API key and a looked-up integration in memory (src/auth/access-cache.ts); 0 disables. */
  apiAccessCacheSeconds: number;
  /** V8_HEAP_GROWTH_PERCENT: see config/heap.ts; 0 = V8's default heuristic. */
  heapGrowthPercent: number;
  /** Express `trust proxy`: who may set X-Forwarded-For (client addresses for rate limits and logs). */
  trustProxy: string[] | number;
  /** CSP frame-ancestors of the hosted connect page: the LMS origins allowed to embed it. */
  connectFrameAncestors: string[];
  /** Password of the operator dashboard's admin sign-in (all environments); null disables admin sign-in. */
  dashboardAdminPassword: string | null;
  /** Failed dashboard sign-ins per client address per 15 minutes (ten times this across all addresses for the admin password). */
  dashboardSignInMaxFailures: number;
  /** How long the housekeeping job keeps rows, in days; 0 keeps them forever (docs/configuration.md). */
  retention: RetentionConfig;
  /** Change notifications pushed by the HRIS (docs/webhooks.md). */
  inbound: InboundConfig;
  /** Worker settings each module defines and validates (SYNC_*: sync/sync.config.ts, WEBHOOK_*: webhooks/webhooks.config.ts), read here once. */
  sync: SyncConfig;
  webhooks: WebhookConfig;
}

export interface InboundConfig {
  /** INBOUND_WEBHOOKS: subscribe to the HRIS's change notifications where the credentials allow it. */
  enabled: boolean;
  /** PUBLIC_URL was set explicitly: the HRIS can reach the gateway there (without it, no subscription). */
  publicUrlSet: boolean;
  /** More distinct people than this pending at once: one delta read instead of one read per person. */
  floodThreshold: number;
  /** Reconciliation delta interval (minutes) while a subscription is healthy; never shorter than the integration's own. */
  reconcileMinutes: number;
  /** Largest delivery body accepted. */
  bodyLimit: string;
  /** How often each process looks for recorded events to re-read, and checks subscriptions (ms). */
  pollMs: number;
  /** How often a subscription's health is checked with the HRIS (minutes). */
  checkMinutes: number;
}

export interface RetentionConfig {
  /** Finished sync runs; each integration's latest run and latest successful run of each type are always kept. */
  syncRunsDays: number;
  /** Webhook events with their deliveries and attempts, once every delivery of the event has finished. */
  webhookEventsDays: number;
  /** Document upload log entries, which are also the Idempotency-Key records (at least 1 day). */
  documentUploadsDays: number;
  /** Connect links (and their activation tokens), counted from the link's expiry. */
  connectLinksDays: number;
}

export { ConfigError, StartupError } from './errors';
export { int, str, type Env } from './env-readers';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL, checked (a ConfigError naming it when unknown); `def` when unset (the CLI and the demo pass `warn`). */
export function logLevel(env: Env, def: LogLevel = 'info'): LogLevel {
  return oneOf(env, 'LOG_LEVEL', LOG_LEVELS, def);
}

export function loadConfig(env: Env = process.env, tools: Readonly<Record<string, Pick<HrisConnector<unknown>, 'settings'>>> = connectors): GatewayConfig {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']) ?? null;
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const encryptionKey = key(env, 'ENCRYPTION_KEY');
  if (databaseUrl && !encryptionKey && env.NODE_ENV === 'production') {
    throw new ConfigError('ENCRYPTION_KEY', 'is required in production when DATABASE_URL is set');
  }
  const metricsToken = str(env, 'METRICS_TOKEN') ?? null;
  const metricsPublic = bool(env, 'METRICS_PUBLIC', false);
  if (metricsToken && metricsPublic) throw new ConfigError('METRICS_PUBLIC', 'cannot be combined with METRICS_TOKEN: set one of them');
  const bodyLimit = str(env, 'BODY_LIMIT') ?? '1mb';
  if (!/^\d+(kb|mb)$/i.test(bodyLimit)) throw new ConfigError('BODY_LIMIT', `must look like 512kb or 1mb, got "${bodyLimit}"`);
  return {
    port,
    host: str(env, 'HOST') ?? '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(str(env, 'GATEWAY_DATA_DIR') ?? '.data'),
    logLevel: logLevel(env),
    publicUrl,
    encryptionKey,
    encryptionKeysPrevious: keyList(env, 'ENCRYPTION_KEYS_PREVIOUS'),
    allowMissingEncryptionKeys: bool(env, 'ENCRYPTION_ALLOW_MISSING_KEYS', false),
    databaseConnectTimeoutSeconds: int(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 60, 0, 86_400),
    allowPrivateNetworkTargets: bool(env, 'ALLOW_PRIVATE_NETWORK_TARGETS', false),
    bodyLimit,
    role: oneOf(env, 'GATEWAY_ROLE', ['all', 'api', 'worker'] as const, 'all'),
    toolSettings: loadToolSettings(env, tools),
    metricsToken,
    metricsPublic,
    rateLimitPerMinute: int(env, 'API_RATE_LIMIT_PER_MINUTE', 6000, 0, 10_000_000),
    authFailuresPerMinute: int(env, 'API_AUTH_FAILURES_PER_MINUTE', 30, 1, 1_000_000),
    apiAccessCacheSeconds: int(env, 'API_ACCESS_CACHE_SECONDS', 5, 0, 300),
    heapGrowthPercent: int(env, 'V8_HEAP_GROWTH_PERCENT', 100, 0, 1000),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    connectFrameAncestors: frameAncestors(env, 'CONNECT_FRAME_ANCESTORS', env.NODE_ENV === 'production'),
    dashboardAdminPassword: adminPassword(env, 'DASHBOARD_ADMIN_PASSWORD'),
    dashboardSignInMaxFailures: int(env, 'DASHBOARD_SIGN_IN_MAX_FAILURES', 10, 1, 10_000),
    retention: retention(env),
    inbound: {
      enabled: bool(env, 'INBOUND_WEBHOOKS', true),
      publicUrlSet: !!str(env, 'PUBLIC_URL'),
      floodThreshold: int(env, 'INBOUND_FLOOD_THRESHOLD', 50, 1, 100_000),
      reconcileMinutes: int(env, 'INBOUND_RECONCILE_INTERVAL_MINUTES', 15, 1, 10_080),
      bodyLimit: '16kb',
      pollMs: int(env, 'INBOUND_POLL_MS', 500, 20, 600_000),
      checkMinutes: int(env, 'INBOUND_CHECK_INTERVAL_MINUTES', 60, 1, 10_080),
    },
    sync: loadSyncConfig(env),
    webhooks: loadWebhookConfig(env),
  };
}

export type ToolSettings = Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;

/**
 * The settings every connector declares (`HrisConnector.settings`), by tool id:
 * URLs are validated like the gateway's own and lose trailing slashes.
 */
export function loadToolSettings(env: Env, tools: Readonly<Record<string, Pick<HrisConnector<unknown>, 'settings'>>>): ToolSettings {
  const out: Record<string, Record<string, string | undefined>> = {};
  for (const [tool, connector] of Object.entries(tools)) {
    out[tool] = {};
    for (const s of connector.settings) {
      out[tool][s.key] = s.kind === 'url' ? url(env, s.env, ['http:', 'https:'])?.replace(/\/+$/, '') : str(env, s.env);
    }
  }
  return out;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
