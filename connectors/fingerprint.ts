// Source-fingerprinted batches (UnifiedBatch.source_fingerprints): what arrived, hashed as
// it arrived (JSON.stringify of a parsed body keeps the order the HRIS sent), and records
// mapped only when the sync engine asks for them — a page it takes as unchanged costs the
// request, the parse and one hash per person, not the mapping.
import { createHash } from 'node:crypto';
import type { PageMemo } from './connector';
import { parseBody } from './http/exchange';
import type { UnifiedBatch } from './unified';

/**
 * `mappingVersion`: the connector's own; raise it whenever its mapping changes what the
 * same input maps to, so stored records are mapped again instead of being taken as unchanged.
 */
export function sourceFingerprint(mappingVersion: string, source: unknown): string {
  const text = JSON.stringify(source);
  if (source !== null && typeof source === 'object') sourceTexts.set(source, text);
  return createHash('sha1').update(mappingVersion).update('\u0000').update(text).digest('base64');
}

/** The JSON text of each fingerprinted source, by object, for as long as the object lives (see sourceJson). */
const sourceTexts = new WeakMap<object, string>();

/**
 * JSON.stringify(value), reusing the text of the fingerprinted sources it holds as its own
 * properties: a record's remote_data is typically `{"<API path>": <the source as it arrived>}`,
 * so the source is serialised once per read, for its fingerprint, not again for storing it.
 * A source is what arrived and is not changed afterwards; a record that must be cleaned for
 * storage is serialised anew (src/records/rows.ts).
 */
export function sourceJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value ?? null);
  const whole = sourceTexts.get(value);
  if (whole !== undefined) return whole;
  const props = Object.entries(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || !props.some(([, v]) => v !== null && typeof v === 'object' && sourceTexts.has(v)))
    return JSON.stringify(value);
  // As JSON.stringify writes a plain object: own enumerable keys in order, unserialisable values left out.
  const parts: string[] = [];
  for (const [k, v] of props) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    parts.push(`${JSON.stringify(k)}:${(v !== null && typeof v === 'object' && sourceTexts.get(v)) || JSON.stringify(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Forgets the remembered text of `value` and of the sources it holds as properties: for values changed in place. */
export function forgetSourceJson(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  sourceTexts.delete(value);
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') sourceTexts.delete(v);
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

/** A page body read through a PageMemo (summarizedBody). */
export interface SummarizedBody<S> {
  /** Null when the body is one the read cannot use (then never remembered). */
  summary: S | null;
  /** The parsed body; parsed on the first call when the summary came from the memo. */
  body(): unknown;
  /** Whether the summary came from the memo. */
  recalled: boolean;
}

/**
 * Reads a page body through the engine's memo (ReadOptions.pageMemo). `summarize` derives from
 * the parsed body what the read needs of it before any mapping (paging fields, ids,
 * fingerprints): JSON values only, following from the body and `version` alone — `version`
 * names the connector's mapping and the summary's shape, so a new release computes its
 * summaries anew. A body that arrives byte for byte as in an earlier read gets its summary
 * back without being decoded, parsed or hashed per record, and is parsed only if its records
 * are then read; any other body is parsed, summarised and remembered. `isSummary` guards what
 * comes back (a value it refuses is computed again). Null when the body is not JSON (the
 * caller retries).
 */
export async function summarizedBody<S>(
  memo: PageMemo | undefined,
  version: string,
  bytes: Buffer,
  summarize: (body: unknown) => S | null,
  isSummary: (value: unknown) => value is S,
): Promise<SummarizedBody<S> | null> {
  const digest = memo ? createHash('sha1').update(version).update('\u0000').update(bytes).digest('base64') : null;
  if (memo && digest !== null) {
    const recalled = recalledValue(await memo.recall(digest), isSummary);
    if (recalled !== undefined) {
      // The same bytes parsed when the summary was made, so they parse again.
      let reparsed: { value: unknown } | undefined;
      return { summary: recalled, body: () => (reparsed ??= parseBody(bytes.toString('utf8'))).value, recalled: true };
    }
  }
  const parsed = parseBody(bytes.toString('utf8'));
  if (!parsed.ok) return null;
  const body = parsed.value;
  const summary = summarize(body);
  if (memo && digest !== null && summary !== null) memo.remember(digest, JSON.stringify(summary));
  return { summary, body: () => body, recalled: false };
}

function recalledValue<S>(text: string | null, isSummary: (value: unknown) => value is S): S | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isSummary(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
