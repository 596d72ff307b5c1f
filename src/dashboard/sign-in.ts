import { Inject, Injectable } from '@nestjs/common';
import { AttemptWindows, clientKey } from '../common/attempt-windows';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { DashboardSessions } from './sessions';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** The admin password's budget across every address, as a multiple of the per-address one. */
export const ADMIN_BUDGET_FACTOR = 10;

export type SignInOutcome = { ok: true; cookie: string } | { ok: false; throttledUntil: Date | null };

/**
 * Dashboard sign-in with a brake on guessing. Each attempt is counted per client address
 * before the secret is looked at, and given back when it succeeds, so only failures use
 * the budget (DASHBOARD_SIGN_IN_MAX_FAILURES per 15 minutes) and parallel requests cannot
 * slip past it. Every failure is also a guess at the admin password, so that has a budget
 * of its own across all addresses (against guessing from many addresses); once it is spent
 * the admin password is not compared until the window ends, while API keys (random, not
 * guessable) still sign in. The counters live in Postgres (AttemptWindows, as the connect
 * page's "Test connection" limit), so replicas share them.
 */
@Injectable()
export class DashboardSignIn {
  private readonly log = getLogger('dashboard');

  constructor(
    private readonly sessions: DashboardSessions,
    private readonly attempts: AttemptWindows,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async attempt(secret: string, clientIp: string | undefined): Promise<SignInOutcome> {
    const address = clientKey(clientIp);
    const client = `dashboard-sign-in:${address}`;
    const max = this.config.dashboardSignInMaxFailures;
    const byClient = await this.attempts.hit(client, SIGN_IN_WINDOW_MS);
    if (byClient.count > max) return this.throttled(byClient, max, { client: address });
    const withKey = await this.sessions.signInWithApiKey(secret);
    if (withKey) return this.succeeded(withKey.cookie, [client]);
    if (this.sessions.adminEnabled) {
      const admin = 'dashboard-sign-in:admin-password';
      const byAdmin = await this.attempts.hit(admin, SIGN_IN_WINDOW_MS);
      if (byAdmin.count > max * ADMIN_BUDGET_FACTOR) return this.throttled(byAdmin, max * ADMIN_BUDGET_FACTOR, { admin_password: true });
      const asAdmin = await this.sessions.signInAsAdmin(secret);
      if (asAdmin) return this.succeeded(asAdmin.cookie, [client, admin]);
    }
    return { ok: false, throttledUntil: null };
  }

  private async succeeded(cookie: string, counted: string[]): Promise<SignInOutcome> {
    for (const key of counted) await this.attempts.refund(key);
    return { ok: true, cookie };
  }

  private throttled(window: { count: number; resetAt: Date }, max: number, what: Record<string, unknown>): SignInOutcome {
    // Once per window: a guessing run does not flood the log.
    if (window.count === max + 1) this.log.warn({ ...what, until: window.resetAt.toISOString() }, 'dashboard sign-in: too many failed attempts');
    return { ok: false, throttledUntil: window.resetAt };
  }
}

export { clientKey };
