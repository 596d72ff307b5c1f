// SQL for inbound_events: recording deliveries (duplicates collapse on the
// dedupe key), handing the pending ones to a sync run, and settling them when the
// run ends. Used by the inbound endpoint, the inbound worker and the sync runner.
import type { DataSource, EntityManager } from 'typeorm';
import type { InboundEvent } from '../../connectors/connector';
import { rowsOf } from '../database/rows';

/** Records events; returns how many were new (a duplicate of an event still waiting adds nothing). */
export async function recordInboundEvents(ds: DataSource, integrationId: string, events: InboundEvent[]): Promise<number> {
  const relevant = events.filter((e) => e.personIds.length > 0);
  if (relevant.length === 0) return 0;
  const rows = rowsOf<{ id: string }>(
    await ds.query(
      `INSERT INTO inbound_events (integration_id, dedupe_key, event_name, person_ids, removal, occurred_at)
     SELECT $1, e.key, e.name, ARRAY(SELECT jsonb_array_elements_text(e.ids)), e.removal, e.occurred
       FROM jsonb_to_recordset($2::jsonb) AS e(key text, name text, ids jsonb, removal boolean, occurred timestamptz)
     ON CONFLICT (integration_id, dedupe_key) WHERE run_id IS NULL DO NOTHING RETURNING id`,
      [integrationId, JSON.stringify(relevant.map((e) => ({ key: e.dedupeKey, name: e.name, ids: e.personIds, removal: e.removal, occurred: e.occurredAt })))],
    ),
  );
  return rows.length;
}

export interface ClaimedEvents {
  events: number;
  /** Distinct people to re-read (a burst of events for one person is one read). */
  personIds: string[];
  /** People named by removal events. */
  removals: string[];
}

/** Hands every pending, unclaimed event of the integration to this run. */
export async function claimInboundEvents(ds: DataSource, integrationId: string, runId: string): Promise<ClaimedEvents> {
  const rows = rowsOf<{ person_ids: string[]; removal: boolean }>(
    await ds.query(
      `UPDATE inbound_events SET run_id = $2 WHERE integration_id = $1 AND run_id IS NULL AND processed_at IS NULL RETURNING person_ids, removal`,
      [integrationId, runId],
    ),
  );
  const people = new Set<string>();
  const removals = new Set<string>();
  for (const r of rows) {
    for (const id of r.person_ids) {
      people.add(id);
      if (r.removal) removals.add(id);
    }
  }
  return { events: rows.length, personIds: [...people], removals: [...removals] };
}

/** In the run's finishing transaction: done when it succeeded, else free for the next run. */
export async function settleInboundEvents(em: EntityManager, runId: string, ok: boolean): Promise<void> {
  if (ok) await em.query(`UPDATE inbound_events SET processed_at = now() WHERE run_id = $1 AND processed_at IS NULL`, [runId]);
  else await release(em, `e.run_id = $1`, [runId]);
}

/** Events held by a run that ended without settling them (its process died, it lost its lease) go back to pending. */
export async function releaseOrphanedEvents(ds: DataSource): Promise<void> {
  await release(ds.manager, `e.run_id IN (SELECT r.id FROM sync_runs r WHERE r.id = e.run_id AND r.status NOT IN ('QUEUED', 'RUNNING'))`, []);
}

/** Back to pending; one whose duplicate arrived meanwhile (and waits) is dropped, as it would have collapsed into it. */
async function release(em: EntityManager, which: string, params: unknown[]): Promise<void> {
  await em.query(
    `DELETE FROM inbound_events e WHERE ${which} AND e.processed_at IS NULL
        AND EXISTS (SELECT 1 FROM inbound_events p WHERE p.integration_id = e.integration_id AND p.dedupe_key = e.dedupe_key AND p.run_id IS NULL)`,
    params,
  );
  await em.query(`UPDATE inbound_events e SET run_id = NULL WHERE ${which} AND e.processed_at IS NULL`, params);
}

/** Integrations with events to re-read that may run now: active, first sync done, not backing off, nothing running. */
export async function integrationsWithPendingEvents(ds: DataSource, limit: number): Promise<string[]> {
  const rows = rowsOf<{ integration_id: string }>(
    await ds.query(
      `SELECT DISTINCT e.integration_id FROM inbound_events e
       JOIN integrations i ON i.id = e.integration_id
       LEFT JOIN sync_schedules s ON s.integration_id = e.integration_id
      WHERE e.processed_at IS NULL AND e.run_id IS NULL
        AND i.status = 'ACTIVE' AND i.first_sync_completed_at IS NOT NULL AND s.retry_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.integration_id = e.integration_id AND r.status IN ('QUEUED', 'RUNNING'))
      LIMIT $1`,
      [limit],
    ),
  );
  return rows.map((r) => r.integration_id);
}

/**
 * While a subscription is healthy the delta poll only reconciles (catches events
 * Personio never sent): the next delta moves out to the reconciliation interval,
 * never nearer than the integration's own interval put it.
 */
export async function stretchDeltaWhileSubscribed(em: EntityManager, integrationId: string, reconcileMinutes: number): Promise<void> {
  await em.query(
    `UPDATE sync_schedules s SET next_delta_at = GREATEST(s.next_delta_at, now() + make_interval(mins => $2::int))
      WHERE s.integration_id = $1 AND EXISTS (SELECT 1 FROM inbound_subscriptions b WHERE b.integration_id = $1 AND b.status = 'ACTIVE')`,
    [integrationId, reconcileMinutes],
  );
}
