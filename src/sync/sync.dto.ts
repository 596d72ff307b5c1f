import { IsIn, IsOptional } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import type { SchemaObject } from 'openapi3-ts/oas31';
import { PageCursors } from '../common/cursor';
import { arrayOf, enumOf, int, ndateTime, nstr, nullable, obj, str } from '../openapi/schemas';
import type { SyncRunRow } from './sync-runs.repository';

/** Kombo's PostForceSyncRequestBody. */
export class ForceSyncDto {
  @IsOptional()
  @IsIn(['FULL', 'DELTA'])
  @JSONSchema({ type: 'string', enum: ['FULL', 'DELTA'], default: 'FULL', description: 'The type of the triggered sync.' })
  type?: 'FULL' | 'DELTA';
}

export const forceSyncSchema = obj({
  already_queued: { type: 'boolean', description: 'We only allow 1 concurrent sync to be running or queued.' },
  sync_id: str('ID of the newly-created or already-queued-or-running sync.'),
  type: enumOf(
    ['FULL', 'DELTA'],
    'The type of the triggered sync. May differ from request, if the integration does not support delta syncs or if another sync is already running.',
  ),
});

const counts: SchemaObject = obj({ created: int(), updated: int(), deleted: int(), unchanged: int() });

export const syncRunSchema = obj({
  id: str(),
  integration_id: str(),
  type: enumOf(['FULL', 'DELTA']),
  trigger: enumOf(
    ['SCHEDULE', 'MANUAL', 'FIRST_SYNC', 'API', 'RELINK', 'RETRY', 'WEBHOOK'],
    'What queued the run (WEBHOOK: a change notification from the HR system).',
  ),
  status: enumOf(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PARTIALLY_FAILED', 'AUTHENTICATION_FAILED', 'CANCELLED', 'TIMED_OUT']),
  attempt: int('1 for a first attempt; retries after a failure count up.'),
  created: int(),
  updated: int(),
  deleted: int(),
  unchanged: int(),
  counts: {
    type: 'object',
    additionalProperties: counts,
    description: 'The same counts per model (employees, employments, groups, legal_entities, locations, employee_document_categories).',
  },
  pages: int('Pages read from the HR system and written.'),
  since: ndateTime('Delta syncs: changes since this time were asked for.'),
  error: nstr('Why the run failed, in words (never contains credentials).'),
  error_kind: nstr(
    'AUTH_FAILED, PERMISSION_MISSING, RATE_LIMITED, UPSTREAM_UNAVAILABLE, WORKER_LOST, TIMEOUT, CANCELLED, INTERNAL, PARTIAL, RECORDS_SKIPPED, …',
  ),
  skipped_records: {
    ...arrayOf(obj({ model: str(), remote_id: str(), reason: str('Why the database refused the record (names the column or index, not the value).') })),
    description: 'Records the HR system returned that could not be stored and were left out (the first 100); the run is PARTIALLY_FAILED. Empty otherwise.',
  },
  queued_at: { type: 'string', format: 'date-time' },
  started_at: ndateTime(),
  finished_at: ndateTime(),
  duration_seconds: nullable({ type: 'number' }),
});

export const syncRunPageSchema = obj({ next: nstr('Cursor of the next page, null on the last one.'), results: arrayOf(syncRunSchema) });

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toSyncRunView(r: SyncRunRow) {
  return {
    id: r.id,
    integration_id: r.integration_id,
    type: r.type,
    trigger: r.trigger,
    status: r.status,
    attempt: r.attempt,
    created: r.created,
    updated: r.updated,
    deleted: r.deleted,
    unchanged: r.unchanged,
    counts: r.counts ?? {},
    pages: r.pages,
    since: iso(r.since),
    error: r.error,
    error_kind: r.error_kind,
    skipped_records: r.skipped ?? [],
    queued_at: iso(r.queued_at)!,
    started_at: iso(r.started_at),
    finished_at: iso(r.finished_at),
    duration_seconds: r.started_at && r.finished_at ? (new Date(r.finished_at).getTime() - new Date(r.started_at).getTime()) / 1000 : null,
  };
}

/** Sync runs of one integration, newest first, keyed by (queued_at, id); the API and the dashboard share the cursors. */
const runsScope = (integrationId: string) => ({ list: 'sync-runs', owner: integrationId });

/** `r`: a row of SyncRunsRepository.list, whose queued_key keeps queued_at's microseconds. */
export function encodeRunCursor(cursors: PageCursors, integrationId: string, r: { queued_key: string; id: string }): string {
  return cursors.encode(runsScope(integrationId), [r.queued_key, r.id]);
}

export function decodeRunCursor(cursors: PageCursors, integrationId: string, cursor: string): { queuedAt: string; id: string } {
  const [queuedAt, id] = cursors.decode(runsScope(integrationId), cursor, 2);
  return { queuedAt, id };
}
