import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';

export type Sampler = (ds: DataSource) => Promise<void>;

/** Gauges read from the database at scrape time (backlogs), registered by the modules that own the tables. */
@Injectable()
export class MetricsSamplers {
  private static readonly samplers: Sampler[] = [];
  private readonly log = getLogger('metrics');

  constructor(private readonly ds: DataSource) {}

  static register(sampler: Sampler): void {
    MetricsSamplers.samplers.push(sampler);
  }

  async sample(): Promise<void> {
    await Promise.all(MetricsSamplers.samplers.map((s) => s(this.ds).catch((e) => this.log.warn({ err: e }, 'metrics sampler failed'))));
  }
}
