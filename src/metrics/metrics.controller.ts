import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { GatewayError } from '../common/errors';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { metricsRegistry } from './metrics';
import { MetricsSamplers } from './samplers';

/**
 * Prometheus scrape endpoint. Closed unless the operator decides: with METRICS_TOKEN it
 * needs that bearer token; with METRICS_PUBLIC=true it is open; with neither it answers
 * 401 (metrics name routes, tools and volumes, which is more than the public should see).
 */
@Controller()
@Public()
export class MetricsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly samplers: MetricsSamplers,
  ) {}

  @Get('metrics')
  async metrics(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = this.config.metricsToken;
    if (!token && !this.config.metricsPublic) {
      throw new GatewayError(
        'PLATFORM.AUTHENTICATION_INVALID',
        '/metrics is closed: set METRICS_TOKEN and scrape with "Authorization: Bearer <METRICS_TOKEN>", or set METRICS_PUBLIC=true.',
      );
    }
    if (token) {
      const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new GatewayError('PLATFORM.AUTHENTICATION_INVALID', 'Send "Authorization: Bearer <METRICS_TOKEN>".');
      }
    }
    await this.samplers.sample();
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  }
}
