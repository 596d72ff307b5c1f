// Readers of single environment variables: each validates its value and throws a
// ConfigError naming the variable (never echoing a secret's value).
import ipaddr from 'ipaddr.js';
import type { RetentionConfig } from './config';
import { ConfigError } from './errors';

export type Env = Record<string, string | undefined>;

export function str(env: Env, name: string): string | undefined {
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

export function bool(env: Env, name: string, def: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], def: T): T {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function url(env: Env, name: string, protocols: string[]): string | undefined {
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

export function key(env: Env, name: string): string | null {
  const raw = str(env, name);
  if (raw === undefined) return null;
  if (!isKey(raw)) throw new ConfigError(name, 'must be 32 bytes, base64 or hex encoded (openssl rand -base64 32)');
  return raw;
}

export function isKey(raw: string): boolean {
  const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return bytes.length === 32;
}

/** Comma-separated keys; each must be a valid key, named by its position (never its value). */
export function keyList(env: Env, name: string): string[] {
  const parts = (str(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  parts.forEach((raw, i) => {
    if (!isKey(raw))
      throw new ConfigError(
        name,
        `entry ${i + 1} of ${parts.length} must be 32 bytes, base64 or hex encoded (the earlier ENCRYPTION_KEY values, comma-separated)`,
      );
  });
  return parts;
}

/**
 * CSP source list for frame-ancestors: origins (wildcard subdomains allowed), 'self', 'none' or *.
 * Production must say who may frame the credentials form (clickjacking); elsewhere any site may.
 */
export function frameAncestors(env: Env, name: string, required: boolean): string[] {
  const raw = str(env, name);
  if (raw === undefined && required) {
    throw new ConfigError(
      name,
      "is required in production: list the LMS origins that embed the connect page (https://app.lms.example.com), or set it to * to let any site frame it, or 'none'",
    );
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
export function trustProxy(env: Env, name: string): string[] | number {
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
export function adminPassword(env: Env, name: string): string | null {
  const raw = str(env, name);
  if (raw === undefined) return null;
  if (raw.length < 12) throw new ConfigError(name, 'must be at least 12 characters long (openssl rand -base64 18)');
  return raw;
}

/**
 * Days a category of rows is kept; 0 keeps them forever. Whole days only, so 1 is the
 * shortest retention; `floor` says what a shorter one would break, for a clear message.
 */
export function retentionDays(env: Env, name: string, def: number, floor?: string): number {
  const raw = str(env, name);
  if (floor && raw !== undefined && /^0*\.\d+$/.test(raw) && Number(raw) > 0) {
    throw new ConfigError(name, `must be at least 1 (${floor}), or 0 to keep rows forever; got ${raw}`);
  }
  return int(env, name, def, 0, 36_500);
}

export function retention(env: Env): RetentionConfig {
  return {
    syncRunsDays: retentionDays(env, 'RETENTION_SYNC_RUNS_DAYS', 30),
    webhookEventsDays: retentionDays(env, 'RETENTION_WEBHOOK_EVENTS_DAYS', 30),
    documentUploadsDays: retentionDays(env, 'RETENTION_DOCUMENT_UPLOADS_DAYS', 90, 'an Idempotency-Key is remembered for at least 24 hours'),
    connectLinksDays: retentionDays(env, 'RETENTION_CONNECT_LINKS_DAYS', 7),
  };
}
