// What the housekeeping job deletes, table by table, in one place so the rules can be
// read (and audited) together. Each batch deletes at most `limit` rows of its table in
// one short statement or transaction, so a large backlog never holds locks for long;
// rows someone else has locked are skipped and taken on a later run.
import type { QueryRunner } from 'typeorm';
import type { RetentionConfig } from '../config/config';

export interface BatchResult {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** The batch was full: call again. */
  more: boolean;
}

export interface RetentionRule {
  /** The table whose rows the rule selects (rows of dependent tables go with them). */
  table: string;
  /** The dependent tables it deletes from too, for the counts. */
  children?: string[];
  /** Days to keep; null: the rule is disabled. Rules for rows that carry their own expiry use 0. */
  days(config: RetentionConfig): number | null;
  batch(q: QueryRunner, days: number, limit: number): Promise<BatchResult>;
}

const olderThan = (column: string) => `${column} < now() - make_interval(days => $1::int)`;
const enabled = (days: number) => (days > 0 ? days : null);

async function affected(q: QueryRunner, sql: string, params: unknown[]): Promise<number> {
  return (await q.query(sql, params, true)).affected ?? 0;
}

/** One DELETE of at most `limit` rows of `table` matching `where` (over alias `t`, $1 = days). */
function deleteWhere(table: string, key: string, where: string): RetentionRule['batch'] {
  return async (q, days, limit) => {
    // = ANY(ARRAY(…)): the batch is picked first, then deleted by primary key (an IN would hash-join a scan of the table).
    const n = await affected(
      q,
      `DELETE FROM ${table} WHERE ${key} = ANY(ARRAY(SELECT t.${key} FROM ${table} t WHERE ${where} LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [days, limit],
    );
    return { deleted: { [table]: n }, more: n === limit };
  };
}

/**
 * Deletes `parent` rows by id together with their children (children first, so foreign
 * keys hold at every step), in one transaction.
 */
async function deleteWithChildren(
  q: QueryRunner,
  ids: string[],
  children: { table: string; sql: string }[],
  parent: { table: string; key: string },
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const c of children) deleted[c.table] = await affected(q, c.sql, [ids]);
  deleted[parent.table] = await affected(q, `DELETE FROM ${parent.table} WHERE ${parent.key} = ANY($1::text[])`, [ids]);
  return deleted;
}

/**
 * A finished run goes only when a later finished run of its integration and type exists
 * and, if it succeeded, a later successful one too: the dashboard's "last run" and the
 * latest successful FULL and DELTA runs stay whatever their age. Queued and running
 * runs have no finished_at and are never touched.
 */
const SUPERSEDED_RUN = `
  EXISTS (SELECT 1 FROM sync_runs n WHERE n.integration_id = t.integration_id AND n.type = t.type
             AND n.finished_at IS NOT NULL AND (n.finished_at, n.id) > (t.finished_at, t.id))
  AND (t.status <> 'SUCCEEDED' OR EXISTS (
        SELECT 1 FROM sync_runs n WHERE n.integration_id = t.integration_id AND n.type = t.type
           AND n.status = 'SUCCEEDED' AND (n.finished_at, n.id) > (t.finished_at, t.id)))`;

/**
 * Old events whose deliveries have all finished (succeeded or failed), with their
 * deliveries and attempts. The deliveries are locked and their status read again
 * under the lock: a redelivery that made one pending after the first look keeps the event.
 */
async function pruneWebhookEvents(q: QueryRunner, days: number, limit: number): Promise<BatchResult> {
  return q.manager.transaction(async () => {
    const candidates: { id: string }[] = await q.query(
      `SELECT e.id FROM webhook_events e
        WHERE ${olderThan('e.created_at')}
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
        ORDER BY e.created_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED`,
      [days, limit],
    );
    if (!candidates.length) return { deleted: {}, more: false };
    const busy: { event_id: string }[] = await q.query(
      `SELECT DISTINCT event_id FROM (SELECT event_id, status FROM webhook_deliveries WHERE event_id = ANY($1::text[]) FOR UPDATE) d WHERE status = 'pending'`,
      [candidates.map((c) => c.id)],
    );
    const keep = new Set(busy.map((b) => b.event_id));
    const ids = candidates.map((c) => c.id).filter((id) => !keep.has(id));
    const deleted = await deleteWithChildren(
      q,
      ids,
      [
        {
          table: 'webhook_attempts',
          sql: `DELETE FROM webhook_attempts a USING webhook_deliveries d WHERE a.delivery_id = d.id AND d.event_id = ANY($1::text[])`,
        },
        { table: 'webhook_deliveries', sql: `DELETE FROM webhook_deliveries WHERE event_id = ANY($1::text[])` },
      ],
      { table: 'webhook_events', key: 'id' },
    );
    return { deleted, more: candidates.length === limit };
  });
}

/** Links expired more than `days` ago (used or not), with their activation tokens (valid for minutes only). */
async function pruneConnectLinks(q: QueryRunner, days: number, limit: number): Promise<BatchResult> {
  return q.manager.transaction(async () => {
    const rows: { id: string }[] = await q.query(
      `SELECT id FROM connect_links WHERE ${olderThan('expires_at')} ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [days, limit],
    );
    if (!rows.length) return { deleted: {}, more: false };
    const deleted = await deleteWithChildren(
      q,
      rows.map((r) => r.id),
      [{ table: 'activation_tokens', sql: `DELETE FROM activation_tokens WHERE link_id = ANY($1::text[])` }],
      { table: 'connect_links', key: 'id' },
    );
    return { deleted, more: rows.length === limit };
  });
}

export const RETENTION_RULES: RetentionRule[] = [
  {
    table: 'sync_runs',
    days: (c) => enabled(c.syncRunsDays),
    batch: deleteWhere('sync_runs', 'id', `${olderThan('t.finished_at')} AND ${SUPERSEDED_RUN}`),
  },
  { table: 'webhook_events', children: ['webhook_deliveries', 'webhook_attempts'], days: (c) => enabled(c.webhookEventsDays), batch: pruneWebhookEvents },
  {
    // The upload log is also the Idempotency-Key store: days ≥ 1 keeps every key at least 24 h.
    // An upload in progress stays; one abandoned by a dead process (lease long over) may go.
    table: 'document_uploads',
    days: (c) => enabled(c.documentUploadsDays),
    batch: deleteWhere('document_uploads', 'id', `${olderThan('t.created_at')} AND (t.status <> 'PENDING' OR t.lease_expires_at < now() - interval '1 day')`),
  },
  { table: 'connect_links', children: ['activation_tokens'], days: (c) => enabled(c.connectLinksDays), batch: pruneConnectLinks },
  // Re-read change notifications serve only as a record for a week; waiting ones are never touched.
  { table: 'inbound_events', days: () => 7, batch: deleteWhere('inbound_events', 'id', `t.processed_at IS NOT NULL AND ${olderThan('t.processed_at')}`) },
  // Expired sessions no longer sign anybody in (DashboardSessions.resolve checks expires_at).
  { table: 'dashboard_sessions', days: () => 0, batch: deleteWhere('dashboard_sessions', 'id_hash', olderThan('t.expires_at')) },
  // Attempt counters whose window has ended count nothing any more (AttemptWindows.hit starts over).
  { table: 'attempt_windows', days: () => 0, batch: deleteWhere('attempt_windows', 'key', olderThan('t.window_end')) },
];
