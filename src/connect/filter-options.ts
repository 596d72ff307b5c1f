import type { ConnectorContext, HrisConnector } from '../../connectors/connector';
import type { FilterOption, FilterOptions } from './connect.types';

/** The filter step reads at most this much of the customer's HRIS, live, while they wait. */
export const FILTER_READ_MAX_PAGES = 5;
export const FILTER_READ_TIMEOUT_MS = 20_000;

/**
 * Distinct legal entities, offices, departments, statuses and employment types from
 * the first pages of employees. Bounded in pages and time: a large company gets the
 * values of its first few hundred employees and a note that more may exist.
 */
export async function readFilterOptions<C>(connector: HrisConnector<C>, ctx: Omit<ConnectorContext<C>, 'signal'>): Promise<FilterOptions> {
  const found = {
    legal_entities: new Map<string, string>(),
    locations: new Map<string, string>(),
    departments: new Map<string, string>(),
    statuses: new Map<string, string>(),
    employment_types: new Map<string, string>(),
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FILTER_READ_TIMEOUT_MS);
  let truncated = false;
  let pages = 0;
  try {
    for await (const batch of connector.read({ ...ctx, signal: abort.signal })) {
      for (const l of batch.legal_entities ?? []) found.legal_entities.set(l.remote_id, l.name ?? l.remote_id);
      for (const l of batch.locations ?? []) found.locations.set(l.remote_id, l.name ?? l.remote_id);
      for (const g of batch.groups ?? []) if (g.type === 'DEPARTMENT') found.departments.set(g.remote_id, g.name ?? g.remote_id);
      for (const e of batch.employees ?? []) {
        if (e.employment_status) found.statuses.set(e.employment_status, e.employment_status);
        if (e.employment_type) found.employment_types.set(e.employment_type, e.employment_type);
      }
      if (++pages >= FILTER_READ_MAX_PAGES) {
        truncated = true;
        break;
      }
    }
  } catch {
    // A failed or timed-out read still offers what it found; the customer may finish without filtering.
    truncated = true;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  const list = (m: Map<string, string>): FilterOption[] => [...m].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    legal_entities: list(found.legal_entities),
    locations: list(found.locations),
    departments: list(found.departments),
    statuses: list(found.statuses),
    employment_types: list(found.employment_types),
    truncated,
  };
}
