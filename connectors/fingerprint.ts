// Source-fingerprinted batches (UnifiedBatch.source_fingerprints): what arrived, hashed as
// it arrived (JSON.stringify of a parsed body keeps the order the HRIS sent), and records
// mapped only when the sync engine asks for them — a page it takes as unchanged costs the
// request, the parse and one hash per person, not the mapping.
import { createHash } from 'node:crypto';
import type { UnifiedBatch } from './unified';

/**
 * `mappingVersion`: the connector's own; raise it whenever its mapping changes what the
 * same input maps to, so stored records are mapped again instead of being taken as unchanged.
 */
export function sourceFingerprint(mappingVersion: string, source: unknown): string {
  return createHash('sha1').update(mappingVersion).update('\u0000').update(JSON.stringify(source)).digest('base64');
}

type Records = Pick<UnifiedBatch, 'employees' | 'employments' | 'groups' | 'legal_entities' | 'locations'>;

/** A batch whose records `map` builds on first access to any of them (once). */
export function lazyBatch(fingerprints: ReadonlyMap<string, string>, utcOffsetMinutes: number | undefined, map: () => Records): UnifiedBatch {
  let records: Records | undefined;
  const mapped = () => (records ??= map());
  return {
    get employees() {
      return mapped().employees;
    },
    get employments() {
      return mapped().employments;
    },
    get groups() {
      return mapped().groups;
    },
    get legal_entities() {
      return mapped().legal_entities;
    },
    get locations() {
      return mapped().locations;
    },
    ...(utcOffsetMinutes === undefined ? {} : { utc_offset_minutes: utcOffsetMinutes }),
    source_fingerprints: fingerprints,
  };
}
