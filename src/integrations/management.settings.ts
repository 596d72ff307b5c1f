// An integration's filters and sync settings: read, validate, change. A plain class
// (no NestJS) so the API, the dashboard, the connect page and the CLI share one
// implementation; the Nest service around it only starts the resync afterwards.
import type { DataSource, EntityManager } from 'typeorm';
import type { PageCursors } from '../common/cursor';
import { inputInvalid, integrationNotFound } from '../common/errors';
import { randomId } from '../common/ids';
import { rowsOf } from '../database/rows';
import { filterChoices, FilterRecordModel, knownRemoteIds } from '../records/queries';
import type { SyncRunsRepository, SyncTrigger } from '../sync/sync-runs.repository';
import { enqueueEvent } from '../webhooks/outbox';
import { IntegrationEntity, IntegrationFilters, IntegrationSettings } from './integration.entity';
import { endUserOf } from './lifecycle';
import { EMPLOYMENT_STATUSES, EMPLOYMENT_TYPES, MAX_INTERVAL_MINUTES } from './management.settings.dto';

export type FilterField = keyof Required<IntegrationFilters>;
export const FILTER_FIELDS: FilterField[] = ['legal_entity_remote_ids', 'location_remote_ids', 'group_remote_ids', 'employment_statuses', 'employment_types'];
/** Filter fields whose values are records of the HR system, checked against the stored ones. */
const RECORD_FILTERS: Partial<Record<FilterField, { model: FilterRecordModel; what: string }>> = {
  legal_entity_remote_ids: { model: 'legal_entities', what: 'legal entity' },
  location_remote_ids: { model: 'locations', what: 'location' },
  group_remote_ids: { model: 'groups', what: 'group' },
};
const ENUMS: Partial<Record<FilterField, readonly string[]>> = { employment_statuses: EMPLOYMENT_STATUSES, employment_types: EMPLOYMENT_TYPES };

export interface SettingsPatch {
  filters?: Partial<Record<FilterField, string[] | null>>;
  delta_interval_minutes?: number | null;
  full_interval_minutes?: number | null;
  expose_remote_data?: boolean;
}

export type ActorType = 'API_KEY' | 'DASHBOARD' | 'CONNECT_PAGE' | 'CLI';
export interface SettingsActor {
  type: ActorType;
  id: string | null;
}

/** The trigger the run history shows for the full sync a filter change queues. */
export const RESYNC_TRIGGER: Record<ActorType, SyncTrigger> = { API_KEY: 'API', DASHBOARD: 'MANUAL', CONNECT_PAGE: 'RELINK', CLI: 'MANUAL' };

export interface SyncDefaults {
  deltaMinutes: number;
  fullMinutes: number;
}

/** The values a change compares and records. */
type Values = {
  filters: Required<IntegrationFilters>;
  delta_interval_minutes: number | null;
  full_interval_minutes: number | null;
  expose_remote_data: boolean;
};

export const fullFilters = (f: IntegrationFilters | null | undefined): Required<IntegrationFilters> =>
  Object.fromEntries(FILTER_FIELDS.map((k) => [k, [...(f?.[k] ?? [])]])) as Required<IntegrationFilters>;

function valuesOf(i: Pick<IntegrationEntity, 'filters' | 'settings'>): Values {
  const minutes = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : null);
  return {
    filters: fullFilters(i.filters),
    delta_interval_minutes: minutes(i.settings?.delta_interval_minutes),
    full_interval_minutes: minutes(i.settings?.full_interval_minutes),
    expose_remote_data: i.settings?.expose_remote_data === true,
  };
}

/** The integration's own intervals (null: the default applies), read as view() and the list read them. */
export function ownIntervals(i: Pick<IntegrationEntity, 'filters' | 'settings'>) {
  const v = valuesOf(i);
  return { delta_interval_minutes: v.delta_interval_minutes, full_interval_minutes: v.full_interval_minutes };
}

/** The intervals in force (stored, else the configured defaults) and expose_remote_data: what the API shows. */
export function effectiveSettings(i: Pick<IntegrationEntity, 'filters' | 'settings'>, defaults: SyncDefaults) {
  const v = valuesOf(i);
  return {
    delta_interval_minutes: v.delta_interval_minutes ?? defaults.deltaMinutes,
    full_interval_minutes: v.full_interval_minutes ?? defaults.fullMinutes,
    expose_remote_data: v.expose_remote_data,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What a settings change did: the fields it changed, and the full sync it queued for new filters. */
export interface AppliedSettings {
  changed: string[];
  filtersChanged: boolean;
  queuedRunId?: string;
}

export class IntegrationSettingsStore {
  constructor(
    private readonly ds: DataSource,
    private readonly runs: SyncRunsRepository,
    private readonly defaults: SyncDefaults,
  ) {}

  async view(i: IntegrationEntity) {
    const s = await this.runs.schedules.get(i.id);
    return {
      filters: fullFilters(i.filters),
      ...effectiveSettings(i, this.defaults),
      defaults: { delta_interval_minutes: this.defaults.deltaMinutes, full_interval_minutes: this.defaults.fullMinutes },
      next_delta_sync_at: iso(s?.next_delta_at),
      next_full_sync_at: iso(s?.next_full_at),
    };
  }

  /** What the filters can choose from: the stored (not deleted) legal entities, locations and groups, by name. */
  async choices(
    integrationId: string,
  ): Promise<Record<'legal_entity_remote_ids' | 'location_remote_ids' | 'group_remote_ids', { id: string; name: string; type?: string }[]>> {
    const read = (model: FilterRecordModel) => filterChoices(this.ds, integrationId, model);
    return { legal_entity_remote_ids: await read('legal_entities'), location_remote_ids: await read('locations'), group_remote_ids: await read('groups') };
  }

  /**
   * The settings after the patch, or INPUT_INVALID naming the field and value. `checkRecords`
   * false: ids come from a live read of the HR system (the connect page) and may not be stored yet.
   */
  async validate(i: IntegrationEntity, patch: SettingsPatch, em: EntityManager = this.ds.manager, checkRecords = true): Promise<Values> {
    const next = valuesOf(i);
    const current = fullFilters(i.filters);
    for (const field of Object.keys(patch.filters ?? {}) as FilterField[]) {
      if (!FILTER_FIELDS.includes(field)) throw inputInvalid(`Invalid input: filters.${field} is not a filter field; use ${FILTER_FIELDS.join(', ')}.`);
      const given = patch.filters![field];
      if (given !== null && given !== undefined && !(Array.isArray(given) && given.every((x) => typeof x === 'string'))) {
        throw inputInvalid(`Invalid input: filters.${field} must be an array of strings or null.`);
      }
      const values = [...new Set(given ?? [])];
      const allowed = ENUMS[field];
      const bad = allowed ? values.find((x) => !allowed.includes(x)) : undefined;
      if (bad !== undefined) throw inputInvalid(`Invalid input: filters.${field} has the unknown value "${bad}"; allowed: ${allowed!.join(', ')}.`);
      const records = RECORD_FILTERS[field];
      if (records && checkRecords && values.length) {
        // Known = stored and not deleted; a value already in the filter stays acceptable even if its record went away.
        const known = await knownRemoteIds(em, i.id, records.model, values);
        const unknown = values.find((x) => !known.has(x) && !current[field].includes(x));
        if (unknown !== undefined)
          throw inputInvalid(`Invalid input: filters.${field}: no ${records.what} with the remote id "${unknown}" is known for this integration.`);
      }
      next.filters[field] = values;
    }
    for (const key of ['delta_interval_minutes', 'full_interval_minutes'] as const) {
      const v = patch[key];
      if (v === undefined) continue;
      if (v !== null && !(Number.isInteger(v) && v >= 1 && v <= MAX_INTERVAL_MINUTES))
        throw inputInvalid(`Invalid input: ${key} must be a whole number from 1 to ${MAX_INTERVAL_MINUTES}, or null.`);
      next[key] = v;
    }
    if (patch.expose_remote_data !== undefined) {
      if (typeof patch.expose_remote_data !== 'boolean') throw inputInvalid('Invalid input: expose_remote_data must be a boolean.');
      next.expose_remote_data = patch.expose_remote_data;
    }
    return next;
  }

  /**
   * Validates and saves the change with its audit row, the `integration-settings-changed`
   * event and the moved schedule, in one transaction (the integration row locked, so two
   * changes do not interleave). Returns which fields changed; nothing changed writes nothing.
   * In `outer` when given (the caller's transaction, e.g. a relink's), else in a transaction of its own.
   */
  async apply(integrationId: string, patch: SettingsPatch, actor: SettingsActor, outer?: EntityManager): Promise<AppliedSettings> {
    const checkRecords = actor.type !== 'CONNECT_PAGE';
    const work = async (em: EntityManager): Promise<AppliedSettings> => {
      const i = await em.getRepository(IntegrationEntity).findOne({ where: { id: integrationId }, lock: { mode: 'pessimistic_write' } });
      if (!i) throw integrationNotFound(integrationId);
      const before = valuesOf(i);
      const after = await this.validate(i, patch, em, checkRecords);
      const changed = (Object.keys(after) as (keyof Values)[]).filter((k) => !same(before[k], after[k]));
      if (!changed.length) return { changed, filtersChanged: false };
      const filters: IntegrationFilters = Object.fromEntries(FILTER_FIELDS.filter((k) => after.filters[k].length).map((k) => [k, after.filters[k]]));
      const settings: IntegrationSettings = { ...i.settings, expose_remote_data: after.expose_remote_data };
      for (const key of ['delta_interval_minutes', 'full_interval_minutes'] as const) {
        if (after[key] === null) delete settings[key];
        else settings[key] = after[key];
      }
      const now = new Date();
      await em.query(`UPDATE integrations SET filters = $2::jsonb, settings = $3::jsonb, updated_at = $4 WHERE id = $1`, [
        i.id,
        JSON.stringify(filters),
        JSON.stringify(settings),
        now,
      ]);
      const pick = (v: Values) => Object.fromEntries(changed.map((k) => [k, v[k]]));
      const changeId = randomId();
      await em.query(
        `INSERT INTO integration_settings_changes (id, integration_id, actor_type, actor_id, changed_at, old_values, new_values) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
        [changeId, i.id, actor.type, actor.id, now, JSON.stringify(pick(before)), JSON.stringify(pick(after))],
      );
      const filtersChanged = changed.includes('filters');
      if (filtersChanged || changed.some((k) => k.endsWith('_interval_minutes')))
        await this.runs.schedules.reschedule(em, i.id, i.settings, this.defaults, filtersChanged);
      // Queued in this transaction, so the scheduler (which sees the full sync due now) cannot queue it first under its own trigger.
      const queued = filtersChanged && i.status === 'ACTIVE' ? await this.runs.enqueue(i.id, { type: 'FULL', trigger: RESYNC_TRIGGER[actor.type] }, em) : null;
      await enqueueEvent(em, {
        environmentId: i.environmentId,
        integrationId: i.id,
        type: 'integration-settings-changed',
        data: {
          integration_id: i.id,
          integration_tool: i.tool,
          integration_category: i.category,
          end_user: endUserOf(i),
          change_id: changeId,
          changed_fields: changed,
          old_values: pick(before),
          new_values: pick(after),
          actor,
          full_sync_scheduled: filtersChanged,
          changed_at: now.toISOString(),
        },
      });
      // The run this change queued (a worker may claim it the moment this commits): it already reads with the new filters.
      return { changed, filtersChanged, queuedRunId: queued && !queued.already ? queued.run.id : undefined };
    };
    return outer ? work(outer) : this.ds.transaction(work);
  }

  /** The audit list, newest first; the cursor (the one signed codec) carries the last change served. */
  async changes(cursors: PageCursors, integrationId: string, cursor: string | undefined, limit: number) {
    const scope = { list: 'settings-changes', owner: integrationId };
    const params: unknown[] = [integrationId, limit + 1];
    let where = '';
    if (cursor) {
      // Signed by this gateway (PageCursors): what decodes is a position it wrote.
      const [at, id] = cursors.decode(scope, cursor, 2);
      params.push(at, id);
      where = 'AND (changed_at, id) < ($3::timestamptz, $4)';
    }
    const rows = rowsOf<{
      id: string;
      changed_at: Date;
      actor_type: ActorType;
      actor_id: string | null;
      old_values: Record<string, unknown>;
      new_values: Record<string, unknown>;
    }>(await this.ds.query(`SELECT * FROM integration_settings_changes WHERE integration_id = $1 ${where} ORDER BY changed_at DESC, id DESC LIMIT $2`, params));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      next: rows.length > limit ? cursors.encode(scope, [new Date(last.changed_at).toISOString(), last.id]) : null,
      results: page.map((r) => ({
        id: r.id,
        changed_at: new Date(r.changed_at).toISOString(),
        actor: { type: r.actor_type, id: r.actor_id },
        changed_fields: Object.keys(r.new_values),
        old_values: r.old_values,
        new_values: r.new_values,
      })),
    };
  }
}
