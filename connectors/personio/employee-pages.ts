// Pages of Personio's employee list as the read takes them: each page summarised (ids,
// paging fields, source fingerprints) from its body, or from the engine's page memo when
// the body arrived byte for byte as before, and turned into unified batches whose records
// are mapped only when the sync engine reads them.
import type { PageMemo } from '../connector';
import { lazyBatch, sourceFingerprint, summarizedBody } from '../fingerprint';
import type { UnifiedBatch } from '../unified';
import { personioEmployeeId } from './attributes';
import type { EmployeeListQuery, PersonioClient } from './client';
import { mapPersonioRecord, offsetShownBy } from './mapping';
import type { ListPage } from './paging';
import type { PersonioEmployee, PersonioListResponse } from './types';

/** Raise when the mapping of the same employee JSON changes (see sourceFingerprint). */
export const PERSONIO_MAPPING_VERSION = 'personio-2';
/** Names the mapping and the shape of PageSummary: a new one makes every page's summary anew. */
const PAGE_SUMMARY_VERSION = `${PERSONIO_MAPPING_VERSION}/page-1`;

export type Emitted = { groups: Set<string>; legal: Set<string>; locations: Set<string> };

/**
 * Turns employees into one unified page, mapped when first read (see lazyBatch); derived
 * records go out once per read (`emitted`), with the first page mapped that names them.
 * Every record of a person comes from that person's employee JSON alone, which is thus
 * the whole input of the person's fingerprint (the contract UnifiedBatch.source_fingerprints asks).
 * Exported for the store floor of the sync bench (bench/sync-floors.ts), which must build
 * exactly the batches read() yields, fingerprints (and so the mapping version) included.
 */
export function toBatch(page: PersonioEmployee[], now: Date, emitted: Emitted): UnifiedBatch {
  const whole = { data: page };
  return new EmployeePage(summarize(whole)!, () => whole).batch(
    page.map((_, i) => i),
    now,
    emitted,
  );
}

function mapPage(page: PersonioEmployee[], now: Date, emitted: Emitted) {
  const batch: Pick<UnifiedBatch, 'employees' | 'employments' | 'groups' | 'legal_entities' | 'locations'> = {
    employees: [],
    employments: [],
    groups: [],
    legal_entities: [],
    locations: [],
  };
  for (const raw of page) {
    const r = mapPersonioRecord(raw, { now });
    batch.employees.push(r.employee);
    batch.employments.push(r.employment);
    for (const g of r.groups) {
      if (!emitted.groups.has(g.remote_id)) {
        emitted.groups.add(g.remote_id);
        batch.groups.push(g);
      }
    }
    if (r.legal_entity && !emitted.legal.has(r.legal_entity.remote_id)) {
      emitted.legal.add(r.legal_entity.remote_id);
      batch.legal_entities.push(r.legal_entity);
    }
    if (r.location && !emitted.locations.has(r.location.remote_id)) {
      emitted.locations.add(r.location.remote_id);
      batch.locations.push(r.location);
    }
  }
  return batch;
}

/**
 * What a read needs of a page before mapping any of it, per item in order: its id, the source
 * fingerprint of its JSON and the UTC offset its timestamps show (null for an item without id).
 */
interface PageSummary {
  total: number | null;
  limit: number | string | null;
  items: Array<[id: string | null, fingerprint: string | null, utcOffset: number | null]>;
}

function isPageSummary(v: unknown): v is PageSummary {
  const s = v as PageSummary | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    (s.total === null || typeof s.total === 'number') &&
    Array.isArray(s.items) &&
    s.items.every((i) => Array.isArray(i) && i.length === 3 && (i[0] === null || (typeof i[0] === 'string' && typeof i[1] === 'string')))
  );
}

function summarize(body: unknown): PageSummary | null {
  const page = body as PersonioListResponse<PersonioEmployee> | null;
  if (!page || typeof page !== 'object' || !Array.isArray(page.data)) return null;
  const t = page.metadata?.total_elements;
  const limit = typeof page.limit === 'number' || typeof page.limit === 'string' ? page.limit : null;
  return {
    total: typeof t === 'number' && Number.isFinite(t) ? t : null,
    limit,
    items: page.data.map((raw) => {
      const id = raw && typeof raw === 'object' ? personioEmployeeId(raw) : null;
      return id === null ? [null, null, null] : [id, sourceFingerprint(PERSONIO_MAPPING_VERSION, raw), offsetShownBy(raw)];
    }),
  };
}

/** A page of the employee list: what paging reads of it, and its batch. */
export class EmployeePage implements ListPage {
  readonly total: number | null;
  readonly limit: unknown;
  readonly ids: ReadonlyArray<string | null>;

  constructor(
    private readonly summary: PageSummary,
    private readonly body: () => unknown,
  ) {
    this.total = summary.total;
    this.limit = summary.limit;
    this.ids = summary.items.map((i) => i[0]);
  }

  /** The unified batch of the items at these indexes (items with an id), mapped only when read (as toBatch). */
  batch(indexes: number[], now: Date, emitted: Emitted): UnifiedBatch {
    const fingerprints = new Map<string, string>();
    let utcOffset: number | undefined;
    for (const i of indexes) {
      const [id, fingerprint, offset] = this.summary.items[i];
      utcOffset ??= offset ?? undefined;
      if (id !== null) fingerprints.set(id, fingerprint!);
    }
    return lazyBatch(fingerprints, utcOffset, () => {
      const data = (this.body() as PersonioListResponse<PersonioEmployee>).data;
      return mapPage(
        indexes.map((i) => data[i]),
        now,
        emitted,
      );
    });
  }
}

/**
 * One page of the employee list, summarised through `memo` (a full read's; see
 * summarizedBody): a page that arrives as it did before is neither parsed nor hashed per person.
 */
export function readEmployeePage(client: PersonioClient, q: EmployeeListQuery, memo: PageMemo | undefined): Promise<EmployeePage> {
  return client.getEmployeesRead(q, async (bytes) => {
    const read = await summarizedBody(memo, PAGE_SUMMARY_VERSION, bytes, summarize, isPageSummary);
    if (read === null) return null;
    return read.summary === null ? undefined : new EmployeePage(read.summary, read.body);
  });
}
