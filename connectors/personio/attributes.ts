// Accessors over a raw Personio employee: attribute values by key or by
// universal_id, and the nested `{type, attributes: {id, name}}` objects used
// for supervisor, subcompany, office, department, team and cost centers.
import type { PersonioEmployee, PersonioNestedObject } from './types';
import { setField, text } from '../values';

/** The raw API path employees come from; `remote_data` is keyed by it, as Kombo does. */
export const EMPLOYEES_PATH = '/company/employees';

export function attrs(raw: PersonioEmployee): Record<string, { value?: unknown; type?: string; universal_id?: string | null; currency?: string } | undefined> {
  return raw && typeof raw === 'object' && raw.attributes && typeof raw.attributes === 'object' ? raw.attributes : {};
}

/** An attribute's plain value as `remote_fields` shows it: `value` of an attribute object, else the entry itself. */
function plainValue(a: unknown): unknown {
  return a && typeof a === 'object' && 'value' in a ? (a as { value: unknown }).value : a;
}

/** Every attribute's plain value, keyed by Personio's attribute key (the record's `remote_fields`). */
export function remoteFields(raw: PersonioEmployee): Record<string, unknown> {
  const all = attrs(raw);
  return plainValues(all, Object.keys(all), {});
}

// Object.keys, not Object.entries: the mapping runs once per employee on every full
// sync, and entries allocates a [key, value] pair per attribute (~60 per employee).
// The keys are the customer's (setField: a "__proto__" attribute stays a field).
function plainValues(all: ReturnType<typeof attrs>, keys: readonly string[], out: Record<string, unknown>): Record<string, unknown> {
  for (const k of keys) setField(out, k, plainValue(all[k]));
  return out;
}

/** Custom attributes are keyed `dynamic_<n>`; standard ones by name. */
function isCustomKey(key: string): boolean {
  return key.startsWith('dynamic_');
}

/**
 * What the employees of an account have in common: the same attribute keys in the same
 * order. Worked out once per key list and kept while the next employee has the same list.
 */
class AttributeKeys {
  /** The `dynamic_*` keys, in order. */
  readonly custom: readonly string[];
  private readonly fields: Record<string, unknown>;

  constructor(readonly keys: readonly string[]) {
    this.custom = keys.filter(isCustomKey);
    // An object given ~60 properties one by one drops out of V8's fast layout after a dozen
    // and becomes a hash table: ~2 KB more per employee, as garbage while it grows and then
    // held in every batch. A copy of an object that has the keys already (in fast layout)
    // has the same keys in the same order as assigning them one by one would give (a spread
    // copies a "__proto__" key as the own property setField made it).
    const slow: Record<string, unknown> = {};
    for (const k of keys) setField(slow, k, null);
    this.fields = { ...slow };
  }

  /** An object to assign remote_fields to, with these keys already in place. */
  emptyFields(): Record<string, unknown> {
    return { ...this.fields };
  }
}

// One at a time: the employees of a page are mapped one after the other.
let lastKeys: AttributeKeys | undefined;

function attributeKeys(keys: readonly string[]): AttributeKeys {
  if (!lastKeys || !sameKeys(lastKeys.keys, keys)) lastKeys = new AttributeKeys(keys);
  return lastKeys;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Each attribute's label, keyed by attribute key, from a stored record's remote_data (keyed by EMPLOYEES_PATH). */
export function remoteFieldLabels(remoteData: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, a] of Object.entries(attrs(remoteData?.[EMPLOYEES_PATH] as PersonioEmployee))) {
    if (a && typeof a === 'object' && typeof (a as { label?: unknown }).label === 'string') setField(out, k, (a as { label: string }).label);
  }
  return out;
}

/** Value of an attribute, or undefined when the attribute is absent (not whitelisted). */
export function value(raw: PersonioEmployee, key: string): unknown {
  return attributeValue(attrs(raw), key);
}

function attributeValue(all: ReturnType<typeof attrs>, key: string): unknown {
  const a = all[key];
  return a && typeof a === 'object' ? a.value : undefined;
}

/**
 * One employee's attributes, read once for the two dozen questions the mapping asks
 * about them: the attribute keys are listed once, and the universal_id index is built
 * at most once (on the first question the attribute keys cannot answer).
 */
export class EmployeeAttributes {
  readonly all: ReturnType<typeof attrs>;
  private readonly shape: AttributeKeys;
  private universal: Map<unknown, unknown> | undefined;

  constructor(raw: PersonioEmployee) {
    this.all = attrs(raw);
    this.shape = attributeKeys(Object.keys(this.all));
  }

  /** Attribute keys in the payload's order (the order of remote_fields and custom_fields). */
  get keys(): readonly string[] {
    return this.shape.keys;
  }

  /** The custom (`dynamic_*`) attribute keys, in order. */
  get customKeys(): readonly string[] {
    return this.shape.custom;
  }

  /** Value of an attribute, or undefined when the attribute is absent (not whitelisted). */
  value(key: string): unknown {
    return attributeValue(this.all, key);
  }

  /** The record's `remote_fields` (see remoteFields). */
  remoteFields(): Record<string, unknown> {
    return plainValues(this.all, this.shape.keys, this.shape.emptyFields());
  }

  /**
   * First non-empty value among attributes whose key or universal_id is one of
   * `ids`. Custom attributes (e.g. Birthday) are only recognisable by
   * universal_id; their key is an account-specific `dynamic_<n>`.
   */
  byUniversalId(ids: readonly string[]): unknown {
    const all = this.all;
    for (const id of ids) {
      const direct = all[id]?.value;
      if (text(direct) !== null) return direct;
    }
    const index = (this.universal ??= universalIndex(all, this.shape.keys));
    for (const id of ids) {
      const v = index.get(id);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/**
 * universal_id → the first attribute value with that universal_id that is not empty.
 * Attributes keyed by their own universal_id (most standard ones) are left out: byUniversalId
 * asks the index only after it found every attribute keyed by an asked id empty, so such an
 * attribute is then either empty or not asked about. That keeps the index to the few custom
 * attributes, instead of ~60 entries per employee.
 */
function universalIndex(all: ReturnType<typeof attrs>, keys: readonly string[]): Map<unknown, unknown> {
  const index = new Map<unknown, unknown>();
  for (const k of keys) {
    const a = all[k];
    if (!a || typeof a !== 'object') continue;
    const id = a.universal_id;
    if (id && id !== k && !index.has(id) && text(a.value) !== null) index.set(id, a.value);
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
