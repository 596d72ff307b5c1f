// The scheduler tick of one gateway process: take over runs whose process died,
// queue what is due, and claim queued runs into two pools of slots: full syncs
// (SYNC_FULL_CONCURRENCY: heavy, their number bounds memory) and light runs
// (SYNC_DELTA_CONCURRENCY: deltas and webhook re-reads), so a long full sync never
// holds up the deltas that come due meanwhile, nor a flood of deltas a full sync.
// All state is in Postgres, so any number of processes can tick against one database.
// Between ticks the worker sleeps until the earliest schedule comes due (so a run
// starts on time without a fast poll), or until a commit that queues a run or moves
// a schedule wakes it; SYNC_POLL_MS bounds the sleep and paces the stale-run check.
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { randomId } from '../common/ids';
import { getLogger } from '../common/logger';
import { PollingLoop } from '../common/polling-loop';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { onWake } from '../database/wake';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CREDENTIAL_VAULT, CredentialVault } from '../integrations/vault';
import { enqueueEvent, flushDataChanged } from '../webhooks/outbox';
import { syncFinishedData } from './events';
import { SyncStopped } from './page-writer';
import { SYNC_CONFIG, SyncConfig } from './sync.config';
import { SyncRunner } from './sync-runner';
import { RunKind, RunSlots, SyncRunRow, SyncRunsRepository } from './sync-runs.repository';

/** Never re-tick sooner than this: a schedule due "now" that cannot be queued must not spin the loop. */
const MIN_SLEEP_MS = 5;

interface ActiveRun {
  kind: RunKind;
  stop: { reason: SyncStopped['reason'] | null; abort: AbortController };
  done: Promise<unknown>;
}

@Injectable()
export class SyncWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomId(6)}`;
  private readonly log = getLogger('sync-worker');
  private readonly active = new Map<string, ActiveRun>();
  private readonly loop: PollingLoop;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  /** When stale runs and missing schedules are next looked for (epoch ms): every SYNC_POLL_MS, not on every wake. */
  private maintenanceAt = 0;
  /** When the last scheduler tick completed (epoch ms): readiness (/health) reports its age. */
  lastTickAt: number | null = null;
  /** The sync's clock (connector mapping, calendar pass); replaceable so tests can use the simulator's. */
  now: () => Date = () => new Date();

  constructor(
    private readonly ds: DataSource,
    private readonly runs: SyncRunsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(SYNC_CONFIG) private readonly sync: SyncConfig,
    @Inject(CREDENTIAL_VAULT) private readonly vault: CredentialVault,
    private readonly connectors: ConnectorRegistry,
  ) {
    this.loop = new PollingLoop({ name: 'sync scheduler tick', tick: () => this.tick(), intervalMs: sync.pollMs, log: this.log });
  }

  get enabled(): boolean {
    return this.config.role !== 'api';
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // NOTIFY does not cross the embedded database's connections: there only this process's commits wake it.
    this.unsubscribe = onWake(this.ds, 'hgw_sync', this.config.databaseUrl !== null, () => this.wake());
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    const ticking = this.loop.stop();
    for (const a of this.active.values()) {
      a.stop.reason ??= 'shutdown';
      a.stop.abort.abort();
    }
    await ticking;
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Runs a tick now (coalesced with one in progress): after a force-sync, work starts without waiting for the poll. */
  wake(): void {
    if (!this.enabled || this.stopped) return;
    this.loop.wake();
  }

  /** Asks a run executing in this process to stop at its next page boundary. */
  stopLocal(runId: string, reason: SyncStopped['reason']): void {
    const a = this.active.get(runId);
    if (a) {
      a.stop.reason ??= reason;
      a.stop.abort.abort();
    }
  }

  /** One round; returns how long to sleep before the next (until the next schedule is due, at most SYNC_POLL_MS). */
  async tick(): Promise<number> {
    if (Date.now() >= this.maintenanceAt) {
      this.maintenanceAt = Date.now() + this.sync.pollMs;
      await this.takeOverStale();
      await this.runs.schedules.ensure({ deltaMinutes: this.sync.deltaIntervalMinutes, fullMinutes: this.sync.fullIntervalMinutes });
    }
    const BATCH = 200;
    while (!this.stopped && (await this.runs.schedules.enqueueDue(BATCH)) === BATCH);
    const free = this.freeSlots();
    if (!this.stopped && (free.full > 0 || free.delta > 0)) for (const { run, kind } of await this.runs.claimNext(this.workerId, free)) this.start(run, kind);
    this.lastTickAt = Date.now();
    const nextDue = await this.runs.schedules.msUntilNextDue();
    return Math.max(MIN_SLEEP_MS, Math.min(this.sync.pollMs, nextDue ?? Infinity, this.maintenanceAt - Date.now()));
  }

  /** Run slots of each kind this process has free. */
  freeSlots(): RunSlots {
    let full = 0;
    for (const a of this.active.values()) if (a.kind === 'FULL') full++;
    return { full: this.sync.fullConcurrency - full, delta: this.sync.deltaConcurrency - (this.active.size - full) };
  }

  private start(run: SyncRunRow, kind: RunKind): void {
    const stop = { reason: null as SyncStopped['reason'] | null, abort: new AbortController() };
    const runner = new SyncRunner({
      ds: this.ds,
      config: this.config,
      sync: this.sync,
      vault: this.vault,
      runs: this.runs,
      connectorFor: (tool) => this.connectors.get(tool),
      workerId: this.workerId,
      now: () => this.now(),
    });
    const done = runner
      .execute(run, stop)
      .catch((e) => this.log.error({ err: e, sync_id: run.id }, 'sync run crashed'))
      .finally(() => {
        this.active.delete(run.id);
        this.wake(); // a slot is free
      });
    this.active.set(run.id, { kind, stop, done });
  }

  /**
   * A RUNNING run without a heartbeat for SYNC_STALE_MS belonged to a process that
   * died: it ends TIMED_OUT (with its sync-finished and any pending data-changed) and
   * a retry is queued in the same transaction, so the next run completes the work.
   */
  private async takeOverStale(): Promise<void> {
    await this.ds.transaction(async (em) => {
      for (const run of await this.runs.expireStale(this.sync.staleMs, em)) {
        this.log.warn(
          { sync_id: run.id, integration_id: run.integration_id, worker_id: run.worker_id },
          'took over a sync run whose process stopped responding',
        );
        const integration = await em.getRepository(IntegrationEntity).findOneBy({ id: run.integration_id });
        if (!integration) continue;
        const ref = { id: integration.id, environmentId: integration.environmentId };
        await flushDataChanged(em, ref);
        await enqueueEvent(em, { ...refEvent(ref), type: 'sync-finished', data: syncFinishedData(integration, run, this.config.publicUrl) });
        await this.runs.enqueue(run.integration_id, { type: run.type, trigger: 'RETRY', attempt: run.attempt + 1 }, em);
      }
    });
  }
}

const refEvent = (ref: { id: string; environmentId: string }) => ({ environmentId: ref.environmentId, integrationId: ref.id });
