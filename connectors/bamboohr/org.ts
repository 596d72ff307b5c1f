// Departments, divisions and locations. BambooHR has no objects for them, only
// options of list fields (GET /meta/lists, NOTES §4.6): option ids are unique
// only within their list, so group ids carry the list (`department:14`).
// Employees name their current department etc. by id on the cursor list and by
// name everywhere else, so the index resolves both. Where a kind's list could
// not be read, nothing maps a name to its id: every read then identifies that
// kind's options by name, so a record keeps one id whichever read produced it.
// No legal entities: the public API has no such object (NOTES §13.5).
import type { UnifiedGroup, UnifiedGroupType, UnifiedLocation } from '../unified';
import { text } from '../values';
import type { BambooListField, BambooListOption } from './types';

export const META_LISTS_PATH = '/v1/meta/lists';

export type OrgKind = 'department' | 'division' | 'location';
const KINDS: OrgKind[] = ['department', 'division', 'location'];

interface Option {
  id: string;
  name: string | null;
  archived: boolean;
  raw: BambooListOption;
}

export interface OrgOptions {
  /** Unified type of division groups: null (Kombo allows untyped groups) unless configured. */
  divisionType?: UnifiedGroupType | null;
}

/** An option known by its name alone (`name:<name>`). */
const namedOnly = (name: string): Option => ({ id: `name:${name}`, name, archived: false, raw: { name } });

export class OrgIndex {
  private readonly byId = new Map<OrgKind, Map<string, Option>>();
  private readonly byName = new Map<OrgKind, Map<string, Option>>();
  /** The kinds whose list /meta/lists returned (it may be unreadable, or leave out lists the key may not see). */
  private readonly listed = new Set<OrgKind>();

  constructor(
    lists: BambooListField[] | null,
    private readonly opts: OrgOptions = {},
  ) {
    for (const k of KINDS) {
      this.byId.set(k, new Map());
      this.byName.set(k, new Map());
    }
    for (const list of Array.isArray(lists) ? lists : []) {
      const alias = text(list?.alias)?.toLowerCase();
      if (alias !== 'department' && alias !== 'division' && alias !== 'location') continue;
      this.listed.add(alias);
      for (const raw of Array.isArray(list.options) ? list.options : []) {
        const id = text(raw?.id);
        if (id === null) continue;
        const o: Option = { id, name: text(raw.name), archived: text(raw.archived)?.toLowerCase() === 'yes', raw };
        this.byId.get(alias)!.set(id, o);
        // An active option wins over an archived one of the same name.
        const key = o.name?.toLowerCase();
        if (key && (!this.byName.get(alias)!.has(key) || !o.archived)) this.byName.get(alias)!.set(key, o);
      }
    }
  }

  /** The option an employee refers to, by id (list endpoint) or by name (tables, get-employee). */
  private resolve(kind: OrgKind, id: string | null, name: string | null): Option | null {
    // Unlisted kind: a full read (ids and names) and a delta (names only) must agree, so the name is the identity.
    if (!this.listed.has(kind) && name !== null) return namedOnly(name);
    if (id !== null && id !== '0') {
      const known = this.byId.get(kind)!.get(id);
      return known ?? { id, name, archived: false, raw: { id, name } };
    }
    if (name === null) return null;
    // A name no option of a read list has: the name is the only identity there is.
    return this.byName.get(kind)!.get(name.toLowerCase()) ?? namedOnly(name);
  }

  group(kind: 'department' | 'division', id: string | null, name: string | null): UnifiedGroup | null {
    const o = this.resolve(kind, id, name);
    if (!o) return null;
    const type: UnifiedGroupType | null = kind === 'department' ? 'DEPARTMENT' : (this.opts.divisionType ?? null);
    return { remote_id: `${kind}:${o.id}`, name: o.name, type, parent_remote_id: null, remote_data: { [META_LISTS_PATH]: { alias: kind, option: o.raw } } };
  }

  location(id: string | null, name: string | null): UnifiedLocation | null {
    const o = this.resolve('location', id, name);
    if (!o) return null;
    return { remote_id: o.id, name: o.name, address: null, type: null, remote_data: { [META_LISTS_PATH]: { alias: 'location', option: o.raw } } };
  }

  /** Every active option as a record (archived ones appear only when an employee still refers to them). */
  activeRecords(): { groups: UnifiedGroup[]; locations: UnifiedLocation[] } {
    const groups: UnifiedGroup[] = [];
    for (const kind of ['department', 'division'] as const) {
      for (const o of this.byId.get(kind)!.values()) if (!o.archived) groups.push(this.group(kind, o.id, o.name)!);
    }
    const locations = [...this.byId.get('location')!.values()].filter((o) => !o.archived).map((o) => this.location(o.id, o.name)!);
    return { groups, locations };
  }
}
