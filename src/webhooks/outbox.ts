import { EntityManager } from 'typeorm';
import { randomId } from '../common/ids';
import { rowsOf } from '../database/rows';
import { notifySql, wakeAfterCommit } from '../database/wake';
import type { RecordChange } from '../records/changes';
import type { RecordModel } from '../records/models';

/**
 * The webhook outbox. Plain functions over the caller's EntityManager, so an event
 * commits or rolls back together with the change that caused it: nothing is sent for
 * a change that rolled back, and no committed change goes without its event. The
 * delivery worker (delivery.worker.ts) picks the delivery rows up after commit.
 */

export interface IntegrationRef {
  id: string;
  environmentId: string;
}

/** Kombo's model names in `data-changed.changed_models[].name`. */
export const KOMBO_MODEL_NAMES: Record<RecordModel, string> = {
  employees: 'hris_employees',
  employments: 'hris_employments',
  groups: 'hris_teams',
  legal_entities: 'hris_legal_entities',
  locations: 'hris_locations',
  employee_document_categories: 'hris_employee_document_categories',
};
export const MEMBERSHIP_MODEL_NAME = 'hris_join_employees_teams';

/** Our record-level extension: which models emit `hris.<name>.<action>` events. */
export const RECORD_EVENT_NAMES: Partial<Record<RecordModel, string>> = {
  employees: 'employee',
  groups: 'group',
  legal_entities: 'legal_entity',
  locations: 'location',
};
export const KOMBO_EVENT_TYPES = [
  'data-changed',
  'integration-created',
  'integration-deleted',
  'integration-state-changed',
  'connection-flow-failed',
  'sync-finished',
  // Our extension (docs/webhooks.md): an integration's filters or sync settings changed.
  'integration-settings-changed',
] as const;

/** Integration ids look like `<tool>:<24 chars>`; the tool is their prefix. */
function toolOf(integrationId: string): string {
  const i = integrationId.indexOf(':');
  return i > 0 ? integrationId.slice(0, i) : integrationId;
}

/**
 * Fans an event out to the environment's matching endpoints: Kombo events to endpoints
 * whose `events` list is empty (all) or names the type; record-level events only to
 * endpoints that opted in. One INSERT … SELECT, inside the caller's transaction.
 */
const FAN_OUT = `
  WITH ins AS (
    INSERT INTO webhook_deliveries (event_id, endpoint_id)
    SELECT ev.id, ep.id
      FROM unnest($2::text[], $3::text[]) AS ev(id, type)
      JOIN webhook_endpoints ep ON ep.environment_id = $1 AND ep.enabled
     WHERE CASE WHEN ev.type LIKE 'hris.%' THEN ep.record_events
                ELSE (cardinality(ep.events) = 0 OR ev.type = ANY(ep.events)) END
    RETURNING 1
  ), n AS (SELECT count(*)::int AS n FROM ins)
  ${wakeDeliveries('n')}`;

/** Selects `n` (deliveries created) and, when there are any, wakes the delivery workers at commit. */
function wakeDeliveries(counted: string): string {
  return `SELECT n, CASE WHEN n > 0 THEN ${notifySql('hgw_webhook_deliveries')} END AS woken FROM ${counted}`;
}

/** The in-process half of the wake-up, after a statement built with wakeDeliveries. */
function wakeIfCreated(em: EntityManager, raw: unknown): void {
  if ((rowsOf<{ n: number }>(raw)[0]?.n ?? 0) > 0) wakeAfterCommit(em, 'hgw_webhook_deliveries');
}

/** Any event other than record-level ones, in the caller's transaction. Returns the event id. */
export async function enqueueEvent(
  em: EntityManager,
  event: { environmentId: string; integrationId: string | null; type: string; data: unknown },
): Promise<string> {
  const id = randomId();
  await em.query(`INSERT INTO webhook_events (id, environment_id, integration_id, type, data) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
    id,
    event.environmentId,
    event.integrationId,
    event.type,
    JSON.stringify(event.data ?? {}),
  ]);
  wakeIfCreated(em, await em.query(FAN_OUT, [event.environmentId, [id], [event.type]]));
  return id;
}

/**
 * Inside the page transaction of a sync: remembers which models changed (for the next
 * data-changed) and writes record-level events for endpoints that opted in. Two
 * statements per call whatever the page size; the record-level one inserts nothing
 * when no endpoint of the environment wants record-level events.
 */
export async function recordChanges(em: EntityManager, integration: IntegrationRef, changes: RecordChange[]): Promise<void> {
  if (changes.length === 0) return;
  const models = new Set<string>();
  for (const c of changes) {
    models.add(KOMBO_MODEL_NAMES[c.model]);
    if (c.memberships_changed) models.add(MEMBERSHIP_MODEL_NAME);
  }
  await em.query(`INSERT INTO webhook_pending_changes (integration_id, model) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [
    integration.id,
    [...models],
  ]);

  const events: { id: string; type: string; data: Record<string, unknown> }[] = [];
  const tool = toolOf(integration.id);
  for (const c of changes) {
    const name = RECORD_EVENT_NAMES[c.model];
    if (!name) continue;
    const data: Record<string, unknown> = {
      integration_id: integration.id,
      integration_tool: tool,
      integration_category: 'HRIS',
      model: KOMBO_MODEL_NAMES[c.model],
      id: c.id,
      remote_id: c.remote_id,
    };
    if (c.action === 'updated') data.changed_fields = c.changed_fields ?? [];
    events.push({ id: randomId(), type: `hris.${name}.${c.action}`, data });
  }
  if (events.length === 0) return;
  // One round trip: the events are written only if some endpoint opted in, and fanned out in the same statement.
  const created: unknown = await em.query(
    `WITH subscribed AS (
       SELECT 1 FROM webhook_endpoints WHERE environment_id = $1 AND enabled AND record_events LIMIT 1
     ), ev AS (
       INSERT INTO webhook_events (id, environment_id, integration_id, type, data)
       SELECT x.id, $1, $2, x.type, x.data
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, type text, data jsonb)
        WHERE EXISTS (SELECT 1 FROM subscribed)
       RETURNING id
     ), ins AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id)
       SELECT ev.id, ep.id FROM ev JOIN webhook_endpoints ep ON ep.environment_id = $1 AND ep.enabled AND ep.record_events
       RETURNING 1
     ), n AS (SELECT count(*)::int AS n FROM ins)
     ${wakeDeliveries('n')}`,
    [integration.environmentId, integration.id, JSON.stringify(events)],
  );
  wakeIfCreated(em, created);
}

/**
 * Inside the transaction that finishes a sync run: one `data-changed` listing every
 * model changed since the last one, then the marks are cleared. No-op when nothing
 * changed. Marks written by a run that crashed before flushing survive, so the next
 * run's flush covers them.
 */
export async function flushDataChanged(em: EntityManager, integration: IntegrationRef): Promise<void> {
  const raw: unknown = await em.query(`DELETE FROM webhook_pending_changes WHERE integration_id = $1 RETURNING model`, [integration.id]);
  const rows = rowsOf<{ model: string }>(raw);
  if (rows.length === 0) return;
  const found: { tool: string; category: string }[] = await em.query(`SELECT tool, category FROM integrations WHERE id = $1`, [integration.id]);
  const order = [...Object.values(KOMBO_MODEL_NAMES), MEMBERSHIP_MODEL_NAME];
  const names = rows.map((r) => r.model).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  await enqueueEvent(em, {
    environmentId: integration.environmentId,
    integrationId: integration.id,
    type: 'data-changed',
    data: {
      integration_id: integration.id,
      integration_tool: found[0]?.tool ?? toolOf(integration.id),
      integration_category: found[0]?.category ?? 'HRIS',
      changed_models: names.map((name) => ({ name })),
    },
  });
}
