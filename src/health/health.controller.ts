import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { CREDENTIALS_UNREADABLE_REASON } from '../integrations/vault';
import { SYNC_CONFIG, SyncConfig } from '../sync/sync.config';
import { SyncWorker } from '../sync/sync.worker';
import { DeliveryWorker } from '../webhooks/delivery.worker';
import { WEBHOOK_CONFIG, WebhookConfig } from '../webhooks/webhooks.config';

const TIMEOUT = 'timeout';

function within2s<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(TIMEOUT)), 2000).unref())]);
}

/** A loop counts as stalled after this many of its intervals without a completed tick (and never sooner than 30 s). */
const STALL_INTERVALS = 10;
const MIN_STALL_MS = 30_000;

/** Liveness, and readiness from the database and (where this process runs them) the job loops. */
@Controller()
@Public()
export class HealthController {
  private readonly log = getLogger('health');

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly ds: DataSource,
    private readonly moduleRef: ModuleRef,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Readiness: the database answers within 2 s and, unless GATEWAY_ROLE=api, the sync
   * scheduler and the webhook delivery loop have completed a tick recently (a loop
   * stuck on a lock or a dead connection makes the process unready, so it gets restarted).
   * `details.credentials` counts integrations whose credentials no configured key opens.
   */
  @Get('health')
  async check(@Res() res: Response): Promise<void> {
    let status = 200;
    let body: { details?: Record<string, unknown> } & Record<string, unknown>;
    const credentialsCheck = this.credentialsCheck();
    try {
      body = (await this.health.check([() => this.databaseCheck(), ...this.loopChecks()])) as unknown as typeof body;
    } catch (e) {
      status = 503;
      body = ((e as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' }) as typeof body;
    }
    const credentials = await credentialsCheck;
    if (credentials && body.details) body.details.credentials = credentials;
    res.status(status).json(body);
  }

  /**
   * The body is public: it says whether the database answers, never where it is
   * (a pg error names the host and port); the log has the error.
   */
  private async databaseCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    try {
      await within2s(this.ds.query('SELECT 1'));
      return indicator.up();
    } catch (e) {
      const timedOut = (e as Error).message === TIMEOUT;
      this.log.warn({ error: (e as Error).message }, 'health: the database did not answer');
      return indicator.down({ message: timedOut ? 'the database did not answer within 2 s' : 'the database is unreachable' });
    }
  }

  /**
   * Integrations whose stored credentials no configured key opens (counted, not named:
   * the body is public). Reported, but not a reason to be unready: a restart cannot fix
   * it, and every other integration keeps working.
   */
  private async credentialsCheck(): Promise<Record<string, unknown> | null> {
    try {
      const [{ n }] = await within2s(
        this.ds.query(`SELECT count(*)::int AS n FROM integrations WHERE status = 'INVALID' AND starts_with(status_reason, $1)`, [
          CREDENTIALS_UNREADABLE_REASON,
        ]),
      );
      return n === 0
        ? { status: 'up', unreadable_integrations: 0 }
        : {
            status: 'down',
            unreadable_integrations: n,
            message: `${n} integration(s) have credentials no configured encryption key decrypts (ENCRYPTION_KEY, ENCRYPTION_KEYS_PREVIOUS); see the dashboard`,
          };
    } catch {
      return null; // the database check above reports the outage
    }
  }

  private loopChecks(): (() => HealthIndicatorResult)[] {
    if (this.config.role === 'api') return [];
    const find = <T>(token: unknown): T | null => {
      try {
        return this.moduleRef.get(token as never, { strict: false }) as T;
      } catch {
        return null; // module not loaded in this application
      }
    };
    const loops: { name: string; worker: { lastTickAt: number | null } | null; intervalMs: number | undefined }[] = [
      { name: 'sync_scheduler', worker: find<SyncWorker>(SyncWorker), intervalMs: find<SyncConfig>(SYNC_CONFIG)?.pollMs },
      { name: 'webhook_worker', worker: find<DeliveryWorker>(DeliveryWorker), intervalMs: find<WebhookConfig>(WEBHOOK_CONFIG)?.pollMs },
    ];
    return loops
      .filter((l) => l.worker && l.intervalMs)
      .map((l) => () => {
        const indicator = this.indicators.check(l.name);
        const limitMs = Math.max(STALL_INTERVALS * l.intervalMs!, MIN_STALL_MS);
        const last = l.worker!.lastTickAt;
        const age = last === null ? null : Date.now() - last;
        const details = { last_tick_age_seconds: age === null ? null : Math.round(age / 100) / 10, stalled_after_seconds: limitMs / 1000 };
        // No tick yet: ready only while the process is young (the first tick runs at start-up).
        const stalled = age === null ? process.uptime() * 1000 > limitMs : age > limitMs;
        return stalled ? indicator.down({ ...details, message: 'the loop has not completed a tick recently' }) : indicator.up(details);
      });
  }

  /** Liveness: the process is up; no database round-trip. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
