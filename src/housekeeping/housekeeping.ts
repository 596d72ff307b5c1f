// The housekeeping job: deletes rows past their retention (retention-rules.ts) every
// ten minutes in worker processes. One process at a time across every replica does it,
// under a Postgres advisory lock, the way migrations are serialised.
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { getLogger } from '../common/logger';
import { PollingLoop } from '../common/polling-loop';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { housekeepingPrunedRows } from '../metrics/metrics';
import { RETENTION_RULES, RetentionRule } from './retention-rules';

// Arbitrary constant next to the migration lock (727_431_001) and the first-key lock (727_431_002).
export const HOUSEKEEPING_LOCK = 727_431_003;
/** The first run waits a little, so a start-up (or a rolling restart) is not slowed by it. */
const FIRST_RUN_DELAY_MS = 60_000;
const INTERVAL_MS = 10 * 60_000;

@Injectable()
export class Housekeeping implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = getLogger('housekeeping');
  /** Rows per DELETE: small enough that no statement holds locks for long. Tests shrink it. */
  batchSize = 5000;
  private readonly loop: PollingLoop;
  private closing = false;
  /** A pass is under way in this process. */
  private active = false;

  constructor(
    private readonly ds: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    // Pruning can wait for the next start: its timers do not keep the process alive.
    this.loop = new PollingLoop({ name: 'housekeeping run', intervalMs: INTERVAL_MS, log: this.log, unref: true, tick: async () => void (await this.run()) });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.loop.start(FIRST_RUN_DELAY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.loop.stop();
  }

  /** Stops the periodic runs (tests drive `run()` themselves). */
  stop(): void {
    void this.loop.stop();
  }

  /**
   * One pass over every enabled rule. Returns the rows deleted per table, or null when
   * another process (or another call in this one) is doing a pass right now.
   */
  async run(): Promise<Record<string, number> | null> {
    // PGlite serves every connection from one session, where advisory locks are re-entrant.
    if (this.active) return null;
    this.active = true;
    const q = this.ds.createQueryRunner();
    try {
      await q.connect();
      const [{ locked }] = await q.query(`SELECT pg_try_advisory_lock($1) AS locked`, [HOUSEKEEPING_LOCK]);
      if (!locked) {
        this.log.debug('housekeeping skipped: another process holds the lock');
        return null;
      }
      try {
        return await this.prune(q);
      } finally {
        await q.query(`SELECT pg_advisory_unlock($1)`, [HOUSEKEEPING_LOCK]).catch(() => undefined);
      }
    } finally {
      await q.release();
      this.active = false;
    }
  }

  private async prune(q: QueryRunner): Promise<Record<string, number>> {
    const started = Date.now();
    const pruned: Record<string, number> = {};
    for (const rule of RETENTION_RULES) {
      const days = rule.days(this.config.retention);
      if (days === null) continue;
      for (const table of [rule.table, ...(rule.children ?? [])]) pruned[table] ??= 0;
      try {
        await this.drain(q, rule, days, pruned);
      } catch (e) {
        // One table's trouble (a lock timeout, say) does not keep the others from being pruned.
        this.log.error({ err: e, table: rule.table }, 'housekeeping: pruning failed');
      }
    }
    for (const [table, n] of Object.entries(pruned)) if (n > 0) housekeepingPrunedRows.inc({ table }, n);
    this.log.info({ pruned, ms: Date.now() - started }, 'housekeeping: old rows pruned');
    return pruned;
  }

  private async drain(q: QueryRunner, rule: RetentionRule, days: number, pruned: Record<string, number>): Promise<void> {
    for (;;) {
      const { deleted, more } = await rule.batch(q, days, this.batchSize);
      for (const [table, n] of Object.entries(deleted)) pruned[table] = (pruned[table] ?? 0) + n;
      if (!more || this.closing) return;
    }
  }
}
