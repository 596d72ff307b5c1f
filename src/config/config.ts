import ipaddr from 'ipaddr.js';
import * as path from 'node:path';
import { loadSyncConfig, type SyncConfig } from '../sync/sync.config';
import { loadWebhookConfig, type WebhookConfig } from '../webhooks/webhooks.config';
import type { HrisConnector } from '../../connectors/connector';
import { connectors } from '../../connectors/registry';

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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
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

/** A reason not to start that the operator fixes in the environment: main prints it, without a stack trace. */
export class StartupError extends Error {
  /** 2: restarting will not help until the configuration changes; 1: it may (a database that comes back). */
  constructor(public readonly variable: string, message: string, public readonly exitCode: 1 | 2 = 2) {
    super(message);
  }
}

export class ConfigError extends StartupError {
  constructor(variable: string, problem: string) {
    super(variable, `Invalid configuration: ${variable} ${problem}`);
  }
}

export type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A whole-number variable within bounds; modules with their own settings (sync, webhooks) use it too. */
export function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], def: T): T {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

function key(env: Env, name: string): string | null {
  const raw = str(env, name);
  if (raw === undefined) return null;
  if (!isKey(raw)) throw new ConfigError(name, 'must be 32 bytes, base64 or hex encoded (openssl rand -base64 32)');
  return raw;
}

function isKey(raw: string): boolean {
  const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return bytes.length === 32;
}

/** Comma-separated keys; each must be a valid key, named by its position (never its value). */
function keyList(env: Env, name: string): string[] {
  const parts = (str(env, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  parts.forEach((raw, i) => {
    if (!isKey(raw)) throw new ConfigError(name, `entry ${i + 1} of ${parts.length} must be 32 bytes, base64 or hex encoded (the earlier ENCRYPTION_KEY values, comma-separated)`);
  });
  return parts;
}

/**
 * CSP source list for frame-ancestors: origins (wildcard subdomains allowed), 'self', 'none' or *.
 * Production must say who may frame the credentials form (clickjacking); elsewhere any site may.
 */
function frameAncestors(env: Env, name: string, required: boolean): string[] {
  const raw = str(env, name);
  if (raw === undefined && required) {
    throw new ConfigError(name, "is required in production: list the LMS origins that embed the connect page (https://app.lms.example.com), or set it to * to let any site frame it, or 'none'");
  }
  if (raw === undefined) return ['*'];
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  for (const p of parts) {
    if (p === '*' || p === "'self'" || p === "'none'") continue;
    if (!/^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(p)) {
      throw new ConfigError(name, `must list origins like https://lms.example.com (or 'self', 'none', *), got "${p}"`);
    }
  }
  if (parts.includes("'none'") && parts.length > 1) throw new ConfigError(name, "'none' cannot be combined with other sources");
  return parts;
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Which connections may say who the client is (X-Forwarded-For): Express's `trust proxy`
 * as a list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal, or a
 * number of proxy hops. Default loopback: a proxy on the same host.
 */
function trustProxy(env: Env, name: string): string[] | number {
  const raw = str(env, name);
  if (raw === undefined) return ['loopback'];
  if (/^\d+$/.test(raw)) return int(env, name, 0, 0, 10);
  const parts = raw.split(/[\s,]+/).filter(Boolean);
  for (const p of parts) {
    if (PROXY_RANGES.includes(p) || ipaddr.isValid(p)) continue;
    try {
      ipaddr.parseCIDR(p);
    } catch {
      throw new ConfigError(name, `must list proxy addresses or ranges (10.0.0.0/8, loopback, linklocal, uniquelocal) or give a number of hops, got "${p}"`);
    }
  }
  return parts;
}

/** A guessable admin password would open every environment: demand some length. */
function adminPassword(env: Env, name: string): string | null {
  const raw = str(env, name);
  if (raw === undefined) return null;
  if (raw.length < 12) throw new ConfigError(name, 'must be at least 12 characters long (openssl rand -base64 18)');
  return raw;
}

/**
 * Days a category of rows is kept; 0 keeps them forever. Whole days only, so 1 is the
 * shortest retention; `floor` says what a shorter one would break, for a clear message.
 */
function retentionDays(env: Env, name: string, def: number, floor?: string): number {
  const raw = str(env, name);
  if (floor && raw !== undefined && /^0*\.\d+$/.test(raw) && Number(raw) > 0) {
    throw new ConfigError(name, `must be at least 1 (${floor}), or 0 to keep rows forever; got ${raw}`);
  }
  return int(env, name, def, 0, 36_500);
}

function retention(env: Env): RetentionConfig {
  return {
    syncRunsDays: retentionDays(env, 'RETENTION_SYNC_RUNS_DAYS', 30),
    webhookEventsDays: retentionDays(env, 'RETENTION_WEBHOOK_EVENTS_DAYS', 30),
    documentUploadsDays: retentionDays(env, 'RETENTION_DOCUMENT_UPLOADS_DAYS', 90, 'an Idempotency-Key is remembered for at least 24 hours'),
    connectLinksDays: retentionDays(env, 'RETENTION_CONNECT_LINKS_DAYS', 7),
  };
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
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
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
