import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../auth/api-keys.service';
import { randomId, sha256Hex } from '../common/ids';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';

/** The session cookie: a random id (only its hash is stored); never in a URL, so never in a request log line. */
export const SESSION_COOKIE = 'hgw_dashboard';
/** Double-submit cookie of the sign-in form, the one form posted before a session exists. */
export const LOGIN_COOKIE = 'hgw_dashboard_login';
const SESSION_PREFIX = 'hgds_';
const SESSION_HOURS = 12;

export interface DashboardSession {
  idHash: string;
  environmentId: string;
  environmentName: string;
  apiKeyId: string | null;
  isAdmin: boolean;
  csrfKey: string;
}

/**
 * Server-side dashboard sessions in Postgres, so every replica behind the load
 * balancer knows every session. A session opened with an API key is scoped to the
 * key's environment and dies with the key; an admin session can switch environments.
 * Expired rows are deleted by the housekeeping job (src/housekeeping).
 */
@Injectable()
export class DashboardSessions {
  private readonly log = getLogger('dashboard');

  constructor(
    private readonly ds: DataSource,
    private readonly keys: ApiKeysService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Opens a session for a valid API key; null when the secret is not one. */
  async signInWithApiKey(secret: string): Promise<{ cookie: string } | null> {
    const given = secret.trim();
    if (!given) return null;
    const key = await this.keys.authenticate(given);
    if (!key) return null;
    this.log.info({ environment_id: key.environmentId, api_key_id: key.keyId }, 'dashboard sign-in');
    return this.create(key.environmentId, key.keyId, false);
  }

  /** Opens an admin session (first environment) when the secret is the admin password; null otherwise. */
  async signInAsAdmin(secret: string): Promise<{ cookie: string } | null> {
    if (!this.isAdminPassword(secret.trim())) return null;
    const [env] = await this.keys.listEnvironments();
    if (!env) return null;
    this.log.info({ admin: true }, 'dashboard sign-in');
    return this.create(env.id, null, true);
  }

  /** The live session of a cookie value, or null (unknown, expired, or its API key revoked). */
  async resolve(cookie: string | undefined): Promise<DashboardSession | null> {
    if (!cookie || !cookie.startsWith(SESSION_PREFIX) || cookie.length > 80) return null;
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT s.id_hash, s.environment_id, e.name AS environment_name, s.api_key_id, s.is_admin, s.csrf_key
         FROM dashboard_sessions s JOIN environments e ON e.id = s.environment_id
         LEFT JOIN api_keys k ON k.id = s.api_key_id
        WHERE s.id_hash = $1 AND s.expires_at > now() AND (s.is_admin OR k.revoked_at IS NULL)`,
      [sha256Hex(cookie)],
    );
    const r = rows[0];
    if (!r) return null;
    // An admin session outlives a password change only until it is checked here.
    if (r.is_admin && !this.config.dashboardAdminPassword) return null;
    return {
      idHash: r.id_hash as string,
      environmentId: r.environment_id as string,
      environmentName: r.environment_name as string,
      apiKeyId: (r.api_key_id as string | null) ?? null,
      isAdmin: r.is_admin as boolean,
      csrfKey: r.csrf_key as string,
    };
  }

  async signOut(s: DashboardSession): Promise<void> {
    await this.ds.query(`DELETE FROM dashboard_sessions WHERE id_hash = $1`, [s.idHash]);
  }

  /** Admins only: the environment the dashboard shows. */
  async switchEnvironment(s: DashboardSession, environmentId: string): Promise<boolean> {
    if (!s.isAdmin) return false;
    const rows: unknown[] = await this.ds.query(
      `UPDATE dashboard_sessions SET environment_id = e.id FROM environments e WHERE id_hash = $1 AND e.id = $2 RETURNING id_hash`,
      [s.idHash, environmentId],
    );
    return rows.length === 1;
  }

  /** The CSRF token of every form of this session: HMAC of the session with the session's own key. */
  csrfToken(s: DashboardSession): string {
    return createHmac('sha256', Buffer.from(s.csrfKey, 'hex')).update(`csrf:${s.idHash}`).digest('hex');
  }

  verifyCsrf(s: DashboardSession, token: unknown): boolean {
    if (typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return false;
    return timingSafeEqual(Buffer.from(token, 'hex'), Buffer.from(this.csrfToken(s), 'hex'));
  }

  get adminEnabled(): boolean {
    return !!this.config.dashboardAdminPassword;
  }

  get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  private isAdminPassword(given: string): boolean {
    const expected = this.config.dashboardAdminPassword;
    if (!expected || !given) return false;
    // Compare digests: equal length, so timingSafeEqual never leaks the password's length.
    return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
  }

  private async create(environmentId: string, apiKeyId: string | null, isAdmin: boolean): Promise<{ cookie: string }> {
    const cookie = SESSION_PREFIX + randomId(40);
    await this.ds.query(
      `INSERT INTO dashboard_sessions (id_hash, environment_id, api_key_id, is_admin, csrf_key, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))`,
      [sha256Hex(cookie), environmentId, apiKeyId, isAdmin, randomBytes(32).toString('hex'), SESSION_HOURS],
    );
    return { cookie };
  }
}

export const SESSION_MAX_AGE_SECONDS = SESSION_HOURS * 3600;
