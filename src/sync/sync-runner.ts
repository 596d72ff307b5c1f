// Executes one claimed run: reads pages from the connector (fetching the next page
// while the current one is written), writes each in its own transaction, and
// finishes the run — status, schedule, integration state and webhook events — in
// one last transaction. A run that fails or stops early deletes nothing.
import type { DataSource, EntityManager } from 'typeorm';
import { HrisConnector, isConnectorError } from '../../connectors/connector';
import { backoffDelay } from '../../connectors/http/backoff';
import { getLogger } from '../common/logger';
import { syncDuration, syncRuns } from '../metrics/metrics';
import type { GatewayConfig } from '../config/config';
import { connectorContextFor } from '../integrations/connector-context';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationChange, transition } from '../integrations/lifecycle';
import { SecretUnreadableError, type CredentialVault } from '../integrations/vault';
import { enqueueEvent, flushDataChanged } from '../webhooks/outbox';
import { claimInboundEvents, settleInboundEvents, stretchDeltaWhileSubscribed } from '../inbound/inbound-events.repository';
import { applyCalendar } from './calendar';
import { readTargets } from './targeted-read';
import { syncFinishedData } from './events';
import { markDeletions, PageContext, RunState, SyncStopped, writeBatch, writeDocumentCategories, writeGone } from './page-writer';
import { PageMemos } from './page-memos';
import { prefetched, prepared } from './read-pipeline';
import { failureOutcome, Outcome, readOutcome } from './run-outcome';
import { liveEmployeeCount } from '../records/queries';
import type { ModelCounts } from '../records/changes';
import type { RecordModel } from '../records/models';
import { refreshStatistics, STATISTICS_REFRESH_ROWS } from '../records/store';
import type { SyncConfig } from './sync.config';
import type { SyncRunRow, SyncRunsRepository, SyncType } from './sync-runs.repository';

/** Delta windows overlap the previous read by this much: clocks differ and Personio counts in seconds. */
const DELTA_OVERLAP_MS = 60_000;

export type ConnectorResolver = (tool: string) => HrisConnector<unknown>;

export interface RunnerDeps {
  ds: DataSource;
  config: GatewayConfig;
  sync: SyncConfig;
  vault: CredentialVault;
  runs: SyncRunsRepository;
  connectorFor: ConnectorResolver;
  workerId: string;
  /** The clock the connector maps by and the calendar pass derives statuses with (tests use the simulator's). */
  now?: () => Date;
}

export class SyncRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Runs a claimed run to its end. `stop` lets the worker stop it (cancel, shutdown) at the next page boundary. */
  async execute(claimed: SyncRunRow, stop: { reason: SyncStopped['reason'] | null; abort: AbortController }): Promise<SyncRunRow | null> {
    const { ds, runs } = this.deps;
    const log = getLogger('sync').child({ integration_id: claimed.integration_id, sync_id: claimed.id });
    const integration = await ds.getRepository(IntegrationEntity).findOneBy({ id: claimed.integration_id });
    if (!integration) return null; // deleted meanwhile; its runs went with it
    const run = { ...claimed };
    const schedule = await runs.schedules.get(integration.id);
    // A WEBHOOK run re-reads the people of the events it takes; a flood of them reads a delta instead.
    const inbound = run.trigger === 'WEBHOOK' ? await claimInboundEvents(ds, integration.id, run.id) : null;
    // Only a connector that can re-read given people gets a targeted run; any other reads a delta (never a run that fails for ever).
    const targeted =
      !!inbound && inbound.personIds.length <= this.deps.config.inbound.floodThreshold && !!schedule?.delta_watermark && this.canReadPeople(integration.tool);
    if (run.type === 'DELTA' && !schedule?.delta_watermark) run.type = 'FULL'; // nothing to be relative to yet
    // A targeted run reads no window (its run history shows `since` null); a flood reads a delta.
    const since = run.type === 'DELTA' && !targeted ? new Date(schedule!.delta_watermark!.getTime() - DELTA_OVERLAP_MS) : null;
    await ds.query(`UPDATE sync_runs SET type = $2, since = $3 WHERE id = $1`, [run.id, run.type, since]);

    const state = new RunState();
    const pc: PageContext = {
      ds,
      runs,
      runId: run.id,
      workerId: this.deps.workerId,
      state,
      integration: { id: integration.id, environmentId: integration.environmentId, filters: integration.filters ?? {} },
    };
    const stopWith = (reason: SyncStopped['reason']) => {
      stop.reason ??= reason;
      stop.abort.abort();
    };
    const heartbeat = setInterval(() => {
      runs.heartbeat(run.id, this.deps.workerId).then(
        (hb) => (!hb.alive ? stopWith('lease') : hb.cancelRequested ? stopWith('cancel') : undefined),
        (e) => log.warn({ err: e }, 'sync heartbeat failed'),
      );
    }, this.deps.sync.heartbeatMs);
    const timeout = setTimeout(() => stopWith('timeout'), this.deps.sync.runTimeoutMs);
    const readStartedAt = new Date();
    // The next delta's watermark, on the clock the read maps by (Personio compares it with its own timestamps).
    const now = this.deps.now ?? (() => new Date());
    const watermark = now();
    log.info({ type: run.type, trigger: run.trigger, attempt: run.attempt, since }, 'sync started');

    let outcome: Outcome;
    let partial: string | null = null;
    try {
      if (integration.status === 'INACTIVE') throw new SyncStopped('cancel');
      const connector = this.deps.connectorFor(integration.tool);
      const ctx = connectorContextFor(integration, this.deps.vault.open(integration.credentials), this.deps.config, { signal: stop.abort.signal, now });
      if (run.type === 'FULL') {
        try {
          await writeDocumentCategories(pc, await connector.documentCategories(ctx));
        } catch (e) {
          if (!isConnectorError(e) || !e.transient) throw e;
          partial = `Document categories could not be read: ${e.message}`;
        }
      }
      // Records the read yielded but that were deleted before it ended must not count as seen.
      const vanished: { employees: string[]; employments: string[] }[] = [];
      if (targeted) await readTargets(pc, connector, ctx, inbound.personIds, stop);
      else {
        // A full read goes through the page memo; a delta's pages are new each time.
        const pageMemo = since ? undefined : new PageMemos(ds, integration.id, log);
        try {
          const read = connector.read(ctx, { since: since ?? undefined, onVanished: (removed) => vanished.push(removed), pageMemo });
          for await (const page of prefetched(prepared(read, integration.id, pc.integration.filters, state))) {
            if (stop.reason) throw new SyncStopped(stop.reason);
            await writeBatch(pc, page);
          }
        } finally {
          await pageMemo?.prune();
        }
        // A delta marks nothing unseen: the people it reported deleted are marked here, one page transaction.
        const removed = since ? mergeRemoved(vanished) : null;
        if (removed && (removed.employees.length || removed.employments.length)) await writeGone(pc, removed);
        // A delta does not show removed people: those the HRIS said it removed are read one by one.
        if (inbound?.removals.length && connector.readPeople) await readTargets(pc, connector, ctx, inbound.removals, stop);
      }
      if (stop.reason) throw new SyncStopped(stop.reason);
      // A delta re-derived only the statuses that changed upstream, and a full read not those of
      // pages it took as unchanged by their source fingerprints (a passing date is no change there).
      if (!targeted) await applyCalendar(pc, now(), state.utcOffsetMinutes ?? schedule?.utc_offset_minutes ?? 0);
      for (const v of vanished) {
        v.employees.forEach((id) => state.seen.employees.delete(id));
        v.employments.forEach((id) => state.seen.employments.delete(id));
      }
      if (run.type === 'FULL' && state.employeesRead === 0) partial = (await this.emptyReadGuard(integration.id)) ?? partial;
      outcome = readOutcome(partial, state.skippedTotal);
    } catch (e) {
      outcome = failureOutcome(e, stop.reason, this.deps.sync.runTimeoutMs);
      if (outcome.error?.kind === 'CREDENTIALS_UNREADABLE')
        log.error({ kid: (e as SecretUnreadableError).kid }, 'sync failed: the credentials cannot be decrypted');
      else if (outcome.status === 'FAILED' && !isConnectorError(e)) log.error({ err: e }, 'sync failed with an internal error');
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timeout);
    }
    if (outcome.error?.kind === 'LEASE_LOST') {
      log.warn({}, 'sync run was taken over by another process; stopping without finishing it');
      return null;
    }
    // Before the run is reported finished, so whoever reads the new company next finds the statistics in place.
    await this.refreshStatistics(pc.state, log);
    const finished = await this.finish(pc, run.type, integration, outcome, watermark, targeted).catch((e) => {
      log.error({ err: e }, 'could not record the end of a sync run; it will be taken over when its heartbeat is stale');
      return null;
    });
    if (finished) {
      const seconds = (Date.now() - readStartedAt.getTime()) / 1000;
      syncRuns.inc({ type: run.type, status: finished.status });
      syncDuration.observe({ type: run.type }, seconds);
      log.info(
        {
          status: finished.status,
          seconds,
          created: finished.created,
          updated: finished.updated,
          deleted: finished.deleted,
          unchanged: finished.unchanged,
          error: finished.error,
        },
        'sync finished',
      );
    }
    return finished;
  }

  /** After a run whose pages wrote many rows (all committed by now): the planner's statistics of those tables (see refreshStatistics). */
  private async refreshStatistics(state: RunState, log: { warn(o: object, m: string): void }): Promise<void> {
    const models = (Object.entries(state.counts) as [RecordModel, ModelCounts][])
      .filter(([, c]) => c.created + c.updated + c.deleted >= STATISTICS_REFRESH_ROWS)
      .map(([model]) => model);
    await refreshStatistics(this.deps.ds.manager, models).catch((e: unknown) =>
      log.warn({ err: e }, 'could not refresh the table statistics after a large sync; autovacuum will'),
    );
  }

  /**
   * A full read that returns no employees at all while employees are stored is far
   * more likely an upstream fault (a narrowed API credential, an empty response) than
   * a company that let everyone go: the run ends PARTIALLY_FAILED and deletes nothing.
   */
  private async emptyReadGuard(integrationId: string): Promise<string | null> {
    const live = await liveEmployeeCount(this.deps.ds, integrationId);
    return live > 0
      ? `The HR system returned no employees although ${live} are stored; nothing was marked deleted. Check the API credentials' employee access.`
      : null;
  }

  /** Whether the tool's connector can re-read given people (readPeople), so a webhook run can be targeted. */
  private canReadPeople(tool: string): boolean {
    try {
      return typeof this.deps.connectorFor(tool).readPeople === 'function';
    } catch {
      return false; // an unknown tool fails inside the run, with its own error
    }
  }

  /**
   * The one transaction that ends a run. Returns null when another process holds the run now.
   * `targeted`: a re-read of some people, which moves neither the delta watermark nor the schedule.
   */
  private async finish(
    pc: PageContext,
    type: SyncType,
    integration: IntegrationEntity,
    outcome: Outcome,
    watermark: Date,
    targeted: boolean,
  ): Promise<SyncRunRow | null> {
    const { runs, config, sync } = this.deps;
    const defaults = { deltaMinutes: sync.deltaIntervalMinutes, fullMinutes: sync.fullIntervalMinutes };
    const ok = outcome.status === 'SUCCEEDED' || outcome.status === 'PARTIALLY_FAILED';
    const work = async (em: EntityManager): Promise<SyncRunRow> => {
      // Locks the run row first: a takeover cannot interleave with the deletion marking below.
      const row = await runs.finish(pc.runId, this.deps.workerId, outcome.status, outcome.error, pc.state.skipped, em);
      if (!row) throw new SyncStopped('lease');
      if (outcome.complete && type === 'FULL') {
        await markDeletions(em, pc);
      }
      await runs.saveProgress(pc.runId, this.deps.workerId, pc.state.progress(), em);
      Object.assign(row, pc.state.progress());
      await runs.schedules.ensure(defaults, integration.id, em);
      if (pc.state.utcOffsetMinutes !== null) await runs.schedules.saveUtcOffset(em, integration.id, pc.state.utcOffsetMinutes);
      const change: IntegrationChange = {};
      await settleInboundEvents(em, pc.runId, ok);
      if (ok) {
        if (!targeted) {
          await runs.schedules.scheduleSucceeded(em, pc.runId, type, watermark, defaults);
          await stretchDeltaWhileSubscribed(em, integration.id, config.inbound.reconcileMinutes);
        }
        if (!integration.firstSyncCompletedAt) change.firstSyncCompletedAt = new Date();
        change.setupStatus = 'COMPLETED';
        if (integration.status === 'INVALID') Object.assign(change, { status: 'ACTIVE', statusReason: null });
      } else if (outcome.status !== 'CANCELLED') {
        await runs.schedules.scheduleFailed(em, integration.id, type, (n) => (outcome.retry ? this.backoffMs(n) : null));
      }
      if (outcome.invalidate && (change.status ?? integration.status) === 'ACTIVE')
        Object.assign(change, { status: 'INVALID', statusReason: outcome.invalidate });
      await transition(em, integration, change);
      await flushDataChanged(em, pc.integration);
      // A targeted re-read is not a sync to the LMS: its record events and data-changed go out, no sync-finished per notification.
      if (!targeted)
        await enqueueEvent(em, {
          environmentId: integration.environmentId,
          integrationId: integration.id,
          type: 'sync-finished',
          data: syncFinishedData(integration, row, config.publicUrl),
        });
      if (outcome.error?.kind === 'SHUTDOWN') await runs.enqueue(integration.id, { type, trigger: 'RETRY', attempt: row.attempt + 1 }, em);
      return row;
    };
    try {
      const row = await pc.ds.transaction(work);
      pc.state.countCommitted();
      return row;
    } catch (e) {
      if (e instanceof SyncStopped && e.reason === 'lease') return null;
      throw e;
    }
  }

  /** ±20 % jitter, so integrations failing together do not retry together. */
  private backoffMs(failures: number): number {
    return backoffDelay({ baseDelayMs: this.deps.sync.retryBaseMs, maxDelayMs: this.deps.sync.retryMaxMs, jitter: [0.8, 1.2] }, failures);
  }
}

function mergeRemoved(parts: Array<{ employees: string[]; employments: string[] }>): { employees: string[]; employments: string[] } {
  return { employees: [...new Set(parts.flatMap((p) => p.employees))], employments: [...new Set(parts.flatMap((p) => p.employments))] };
}
