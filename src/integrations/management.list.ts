// GET /v1/integrations: the environment's integrations, oldest first, with their
// filters, settings, last run and next scheduled run. One query per page; the
// cursor is the one signed codec, bound to the environment and the query's filters.
import type { DataSource } from 'typeorm';
import type { PageCursors } from '../common/cursor';
import { rowsOf } from '../database/rows';
import { toSyncRunView } from '../sync/sync.dto';
import type { SyncRunRow } from '../sync/sync-runs.repository';
import { IntegrationEntity } from './integration.entity';
import type { IntegrationManagementService } from './management.service';
import { effectiveSettings, fullFilters, SyncDefaults } from './management.settings';

export interface ListIntegrationsQuery {
  tool?: string;
  state?: IntegrationEntity['status'];
  cursor?: string;
  page_size?: number;
}

interface Extra {
  id: string;
  next_delta_at: Date | null;
  next_full_at: Date | null;
  retry_at: Date | null;
  retry_type: 'FULL' | 'DELTA' | null;
  delta_watermark: Date | null;
  last_run: SyncRunRow | null;
}

/** The next run the scheduler will queue (as dueIntegrations decides): a retry, else the earlier of delta and full. */
export function nextRunOf(status: IntegrationEntity['status'], s: Omit<Extra, 'id' | 'last_run'> | null) {
  if (status !== 'ACTIVE' || !s?.next_delta_at || !s.next_full_at) return null;
  if (s.retry_at) return { type: s.retry_type ?? 'FULL', at: new Date(s.retry_at).toISOString(), retry: true };
  const delta = new Date(s.next_delta_at).getTime();
  const full = new Date(s.next_full_at).getTime();
  return { type: !s.delta_watermark || full <= delta ? 'FULL' : 'DELTA', at: new Date(Math.min(delta, full)).toISOString(), retry: false };
}

/** The cursor carries created_at as JavaScript has it (milliseconds); Postgres keeps microseconds. */
const CREATED_MS = `date_trunc('milliseconds', i.created_at)`;

export async function listIntegrations(
  ds: DataSource,
  cursors: PageCursors,
  management: IntegrationManagementService,
  defaults: SyncDefaults,
  environmentId: string,
  q: ListIntegrationsQuery,
) {
  const limit = q.page_size ?? 100;
  const scope = { list: 'integrations', owner: environmentId, filters: { tool: q.tool, state: q.state } };
  const qb = ds.getRepository(IntegrationEntity).createQueryBuilder('i').where('i.environment_id = :env', { env: environmentId });
  if (q.tool) qb.andWhere('i.tool = :tool', { tool: q.tool });
  if (q.state) qb.andWhere('i.status = :state', { state: q.state });
  if (q.cursor) {
    const [at, id] = cursors.decode(scope, q.cursor, 2);
    qb.andWhere(`(${CREATED_MS}, i.id) > (:at::timestamptz, :id)`, { at, id });
  }
  const integrations = await qb
    .orderBy(CREATED_MS, 'ASC')
    .addOrderBy('i.id', 'ASC')
    .limit(limit + 1)
    .getMany();
  const page = integrations.slice(0, limit);
  const extras = new Map<string, Extra>();
  if (page.length) {
    for (const e of rowsOf<Extra>(
      await ds.query(
        `SELECT i.id, s.next_delta_at, s.next_full_at, s.retry_at, s.retry_type, s.delta_watermark, to_jsonb(last) AS last_run
         FROM unnest($1::text[]) AS i(id)
         LEFT JOIN sync_schedules s ON s.integration_id = i.id
         LEFT JOIN LATERAL (SELECT * FROM sync_runs r WHERE r.integration_id = i.id ORDER BY r.queued_at DESC, r.id DESC LIMIT 1) last ON true`,
        [page.map((i) => i.id)],
      ),
    ))
      extras.set(e.id, e);
  }
  const last = page[page.length - 1];
  return {
    next: integrations.length > limit ? cursors.encode(scope, [last.createdAt.toISOString(), last.id]) : null,
    results: page.map((i) => {
      const x = extras.get(i.id) ?? null;
      return {
        ...management.details(i),
        filters: fullFilters(i.filters),
        settings: effectiveSettings(i, defaults),
        last_run: x?.last_run ? toSyncRunView(x.last_run) : null,
        next_scheduled_run: nextRunOf(i.status, x),
      };
    }),
  };
}
