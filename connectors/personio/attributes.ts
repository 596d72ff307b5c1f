// Accessors over a raw Personio employee: attribute values by key or by
// universal_id, and the nested `{type, attributes: {id, name}}` objects used
// for supervisor, subcompany, office, department, team and cost centers.
import type { PersonioEmployee, PersonioNestedObject } from './types';
import { text } from '../values';

/** The raw API path employees come from; `remote_data` is keyed by it, as Kombo does. */
export const EMPLOYEES_PATH = '/company/employees';

export function attrs(raw: PersonioEmployee): Record<string, { value?: unknown; type?: string; universal_id?: string | null; currency?: string } | undefined> {
  return raw && typeof raw === 'object' && raw.attributes && typeof raw.attributes === 'object' ? raw.attributes : {};
}

/** Every attribute's plain value, keyed by Personio's attribute key (the record's `remote_fields`). */
export function remoteFields(raw: PersonioEmployee): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(attrs(raw))) out[k] = a && typeof a === 'object' && 'value' in a ? a.value : a;
  return out;
}

/** Each attribute's label, keyed by attribute key, from a stored record's remote_data (keyed by EMPLOYEES_PATH). */
export function remoteFieldLabels(remoteData: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, a] of Object.entries(attrs(remoteData?.[EMPLOYEES_PATH] as PersonioEmployee))) {
    if (a && typeof a === 'object' && typeof (a as { label?: unknown }).label === 'string') out[k] = (a as { label: string }).label;
  }
  return out;
}

/** Value of an attribute, or undefined when the attribute is absent (not whitelisted). */
export function value(raw: PersonioEmployee, key: string): unknown {
  const a = attrs(raw)[key];
  return a && typeof a === 'object' ? a.value : undefined;
}

/**
 * First non-empty value among attributes whose key or universal_id is one of
 * `ids`. Custom attributes (e.g. Birthday) are only recognisable by
 * universal_id; their key is an account-specific `dynamic_<n>`.
 */
export function byUniversalId(raw: PersonioEmployee, ids: readonly string[]): unknown {
  const all = attrs(raw);
  for (const id of ids) {
    const direct = all[id]?.value;
    if (text(direct) !== null) return direct;
  }
  const index = universalIndex(all);
  for (const id of ids) {
    const v = index.get(id);
    if (v !== undefined) return v;
  }
  return undefined;
}

// The mapping asks for a dozen universal ids per employee; indexing each attribute
// set once (not scanning ~60 attributes per question) keeps mapping cheap at 100k.
const universalIndexes = new WeakMap<object, Map<string, unknown>>();
function universalIndex(all: ReturnType<typeof attrs>): Map<string, unknown> {
  let index = universalIndexes.get(all);
  if (!index) {
    index = new Map();
    for (const a of Object.values(all)) {
      if (a && typeof a === 'object' && a.universal_id && !index.has(a.universal_id) && text(a.value) !== null) index.set(a.universal_id, a.value);
    }
    universalIndexes.set(all, index);
  }
  return index;
}

/** The employee's own id as a string, or null when the payload has none. */
export function personioEmployeeId(raw: PersonioEmployee): string | null {
  return idText(value(raw, 'id'));
}

function idText(v: unknown): string | null {
  if (v && typeof v === 'object' && 'value' in v) return idText((v as { value: unknown }).value);
  return text(v);
}

export function isNested(v: unknown): v is PersonioNestedObject {
  return (
    !!v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as PersonioNestedObject).attributes === 'object' &&
    (v as PersonioNestedObject).attributes !== null
  );
}

/** `id` of a nested object; supervisor nests it once more as `{label, value}`. */
export function nestedId(v: unknown): string | null {
  return isNested(v) ? idText(v.attributes!.id) : null;
}

export function nestedName(v: unknown): string | null {
  if (!isNested(v)) return null;
  const n = v.attributes!.name;
  return idText(n);
}

/** Nested objects of an attribute that may hold one object, a list, null or "". */
export function nestedList(v: unknown): PersonioNestedObject[] {
  if (Array.isArray(v)) return v.filter(isNested);
  return isNested(v) ? [v] : [];
}
