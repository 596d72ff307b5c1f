import { ATTRIBUTE_BY_KEY } from './attributes';
import { Company, OrgEntity } from './company';
import { isoToDay, localDay } from './dates';
import { EmployeeFactory } from './generator';
import { CUSTOM_ATTRIBUTES, CUSTOM_INDEX, EmployeeRecord, Gender, StoredStatus } from './model';
import { Rng } from '../../sandbox-kit/random';

/**
 * The company's employees, kept sorted by id: the list endpoint is plain offset pagination over
 * this array, so an insert or delete between two page calls really shifts records.
 */
/** A write to the store, for the v2 event source (events.ts). */
export type StoreWrite =
  | { kind: 'created'; e: EmployeeRecord; nowMs: number }
  | { kind: 'changed'; e: EmployeeRecord; keys: string[]; nowMs: number }
  | { kind: 'removed'; e: EmployeeRecord; nowMs: number };

export class EmployeeStore {
  /** Called after every hire, effective change and removal. */
  onWrite: ((w: StoreWrite) => void) | null = null;
  private readonly list: EmployeeRecord[];
  private readonly byId = new Map<number, EmployeeRecord>();
  private readonly byEmail = new Map<string, EmployeeRecord>();
  private nextId: number;

  constructor(
    employees: EmployeeRecord[],
    nextId: number,
    private readonly factory: EmployeeFactory,
    private readonly rng: Rng,
  ) {
    this.list = employees;
    this.nextId = nextId;
    for (const e of employees) this.index(e);
  }

  get company(): Company {
    return this.factory.company;
  }

  all(): readonly EmployeeRecord[] {
    return this.list;
  }

  get(id: number): EmployeeRecord | undefined {
    return this.byId.get(id);
  }

  findByEmail(email: string): EmployeeRecord | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  ids(): number[] {
    return this.list.map((e) => e.id);
  }

  /** New employee at the end of the list (next free id), or at `id` when given and free. */
  hire(nowMs: number, overrides: Record<string, unknown> = {}, id?: number): EmployeeRecord {
    const newId = id ?? this.nextId++;
    if (this.byId.has(newId)) throw new Error(`employee ${newId} already exists`);
    const supervisor = this.list.length > 0 ? this.list[this.rng.index(Math.min(this.list.length, 50))].id : null;
    const e = this.factory.make(this.rng, newId, supervisor, nowMs, 'active');
    e.createdAt = nowMs;
    e.lastModifiedAt = nowMs;
    e.hireDay = localDay(nowMs, this.factory.offsetMinutes);
    this.insertSorted(e);
    this.apply(e, overrides, nowMs, false);
    this.onWrite?.({ kind: 'created', e, nowMs });
    return e;
  }

  /** Largest free id below `beforeId`, used by the page-shift fault to insert mid-list. */
  freeIdBefore(beforeId: number): number | null {
    for (let id = beforeId - 1; id > 0 && id > beforeId - 10_000; id--) if (!this.byId.has(id)) return id;
    return null;
  }

  change(id: number, changes: Record<string, unknown>, nowMs: number): void {
    const e = this.require(id);
    const before = this.onWrite ? snapshot(e) : '';
    this.apply(e, changes, nowMs, true);
    // Writing a value that is already there changes nothing, so it raises no event.
    if (this.onWrite && snapshot(e) !== before) this.onWrite({ kind: 'changed', e, keys: Object.keys(changes), nowMs });
  }

  terminate(id: number, terminationDate: string, nowMs: number): void {
    this.change(id, { termination_date: terminationDate, last_working_day: terminationDate, termination_type: 'employee' }, nowMs);
  }

  remove(id: number, nowMs = Date.now()): void {
    const e = this.require(id);
    this.onWrite?.({ kind: 'removed', e, nowMs });
    this.byId.delete(id);
    if (e.email) this.byEmail.delete(e.email.toLowerCase());
    this.factory.releaseEmail(e.email);
    const at = this.position(id);
    this.list.splice(at, 1);
  }

  private require(id: number): EmployeeRecord {
    const e = this.byId.get(id);
    if (!e) throw new Error(`employee ${id} not found`);
    return e;
  }

  private index(e: EmployeeRecord): void {
    this.byId.set(e.id, e);
    if (e.email) this.byEmail.set(e.email.toLowerCase(), e);
    this.factory.claimEmail(e.email);
  }

  private position(id: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid].id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertSorted(e: EmployeeRecord): void {
    this.list.splice(this.position(e.id), 0, e);
    this.index(e);
    if (e.id >= this.nextId) this.nextId = e.id + 1;
  }

  private apply(e: EmployeeRecord, changes: Record<string, unknown>, nowMs: number, trackChange: boolean): void {
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    if (trackChange) {
      e.changedAt ??= new Map([['', e.lastModifiedAt]]);
      for (const key of keys) e.changedAt.set(key, nowMs);
    }
    for (const key of keys) setAttribute(e, key, changes[key], this);
    e.lastModifiedAt = Math.max(nowMs, e.lastModifiedAt);
  }

  reindexEmail(e: EmployeeRecord, oldEmail: string): void {
    if (oldEmail) this.byEmail.delete(oldEmail.toLowerCase());
    this.factory.releaseEmail(oldEmail);
    if (e.email) this.byEmail.set(e.email.toLowerCase(), e);
    this.factory.claimEmail(e.email);
  }
}

function snapshot(e: EmployeeRecord): string {
  const { changedAt: _c, lastModifiedAt: _l, ...values } = e;
  return JSON.stringify(values);
}

function dayOrNull(key: string, v: unknown): number | null {
  if (v === null || v === '') return null;
  const day = typeof v === 'string' ? isoToDay(v.slice(0, 10)) : null;
  if (day === null) throw new Error(`${key} must be YYYY-MM-DD or null`);
  return day;
}

function orgIndex(key: string, list: OrgEntity[], v: unknown): number {
  if (v === null) return -1;
  const i = list.findIndex((o) => o.id === v || o.name === v);
  if (i < 0) throw new Error(`${key}: no ${key} with id or name ${String(v)}`);
  return i;
}

/** Text attributes the control API sets as given (null → ''), by Personio key. */
const TEXT_ATTRIBUTES: Record<
  string,
  'firstName' | 'lastName' | 'preferredName' | 'position' | 'weeklyHours' | 'terminationType' | 'terminationReason' | 'salaryInterval'
> = {
  first_name: 'firstName',
  last_name: 'lastName',
  preferred_name: 'preferredName',
  position: 'position',
  weekly_working_hours: 'weeklyHours',
  termination_type: 'terminationType',
  termination_reason: 'terminationReason',
  fix_salary_interval: 'salaryInterval',
};
/** Date attributes the control API sets (YYYY-MM-DD or null), by Personio key. */
const DAY_ATTRIBUTES: Record<string, 'contractEndDay' | 'terminationDay' | 'lastWorkingDay' | 'probationEndDay'> = {
  contract_end_date: 'contractEndDay',
  termination_date: 'terminationDay',
  last_working_day: 'lastWorkingDay',
  probation_period_end: 'probationEndDay',
};

/** Org attributes the control API sets by id or name (null → none): the attribute key, its company list. */
const ORG_ATTRIBUTES = { subcompany: 'subcompanies', office: 'offices', department: 'departments', team: 'teams' } as const;

/** Control-API mutation of one attribute, by Personio attribute key. */
function setAttribute(e: EmployeeRecord, key: string, v: unknown, store: EmployeeStore): void {
  const c = store.company;
  const s = () => (v === null ? '' : String(v));
  if (Object.hasOwn(TEXT_ATTRIBUTES, key)) {
    e[TEXT_ATTRIBUTES[key]] = s();
    return;
  }
  if (Object.hasOwn(DAY_ATTRIBUTES, key)) {
    e[DAY_ATTRIBUTES[key]] = dayOrNull(key, v);
    return;
  }
  if (Object.hasOwn(ORG_ATTRIBUTES, key)) {
    const k = key as keyof typeof ORG_ATTRIBUTES;
    e[k] = orgIndex(key, c[ORG_ATTRIBUTES[k]], v);
    return;
  }
  switch (key) {
    case 'email': {
      const old = e.email;
      e.email = s();
      store.reindexEmail(e, old);
      return;
    }
    case 'gender':
      e.gender = s() as Gender;
      return;
    case 'status':
      e.status = s() as StoredStatus;
      return;
    case 'supervisor':
    case 'supervisor_id':
      e.supervisorId = v === null ? null : Number(v);
      return;
    case 'employment_type':
      e.external = v === 'external';
      return;
    case 'hire_date':
      e.hireDay = dayOrNull(key, v) ?? e.hireDay;
      return;
    case 'cost_centers':
      e.costCenters = v === null ? [] : [orgIndex(key, c.costCenters, v), 100];
      return;
    case 'fix_salary':
      e.fixSalary = Number(v);
      return;
    case 'hourly_salary':
      e.hourlySalary = Number(v);
      return;
    case 'profile_picture':
      e.hasPicture = Boolean(v);
      return;
  }
  const ci = CUSTOM_INDEX.get(key);
  if (ci === undefined) {
    throw new Error(ATTRIBUTE_BY_KEY.has(key) ? `${key} cannot be changed` : `unknown attribute ${key}`);
  }
  e.custom[ci] = CUSTOM_ATTRIBUTES[ci].type === 'date' ? dayOrNull(key, v) : (v as string | number | null);
}
