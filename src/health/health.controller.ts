import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { SYNC_CONFIG, SyncConfig } from '../sync/sync.config';
import { SyncWorker } from '../sync/sync.worker';
import { DeliveryWorker } from '../webhooks/delivery.worker';
import { WEBHOOK_CONFIG, WebhookConfig } from '../webhooks/webhooks.config';

/** A loop counts as stalled after this many of its intervals without a completed tick (and never sooner than 30 s). */
const STALL_INTERVALS = 10;
const MIN_STALL_MS = 30_000;

/** Liveness, and readiness from the database and (where this process runs them) the job loops. */
@Controller()
@Public()
export class HealthController {
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
   */
  @Get('health')
  async check(@Res() res: Response): Promise<void> {
    try {
      const result = await this.health.check([
        async () => {
          const indicator = this.indicators.check('database');
          try {
            await Promise.race([
              this.ds.query('SELECT 1'),
              new Promise((_, reject) => setTimeout(() => reject(new Error('timeout after 2 s')), 2000).unref()),
            ]);
            return indicator.up();
          } catch (e) {
            return indicator.down({ message: (e as Error).message });
          }
        },
        ...this.loopChecks(),
      ]);
      res.status(200).json(result);
    } catch (e) {
      const body = (e as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' };
      res.status(503).json(body);
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
