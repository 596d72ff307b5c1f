import { SimClock } from '../../sandbox-kit/clock';
import { addWithId, appendBounded, assignKnown, checkKnown } from '../../sandbox-kit/state';
import { Rng, deriveSeed } from '../../sandbox-kit/random';
import { DEFAULT_FILE_CATEGORIES, STORED_FIELDS, buildLists, buildLocations } from './company';
import { Generator, IdSource } from './generator';
import { DATE_COLUMN, EmployeeRecord, FileCategory, ListField, LocationInfo, TABLES } from './model';
import { KeyWindow } from './rate-limit';
import {
  ApiKey,
  BehaviourSwitches,
  RateLimitSettings,
  RequestLogEntry,
  SandboxFaults,
  StoredFile,
  TableName,
  TrainingRecordRow,
  TrainingTypeRecord,
} from './types';
import { ViewContext, employeeFields } from './views';
import { DEFAULT_SWITCHES, NO_FAULTS, ResolvedOptions } from './options';
import { normaliseRow, rowFields } from './table-rows';
import { DeliveryQueue } from './delivery';
import { ChangeEvent, StoredWebhook, publishChange } from './webhooks';
import { DeliveryAttempt, WebhookSettings } from './types';
import { isoDay } from './company';

/** Everything the simulated BambooHR account holds; HTTP handlers and the in-process handle share it. */
export class SandboxState {
  readonly clock: SimClock;
  readonly ids = new IdSource();
  readonly generator: Generator;
  readonly employees = new Map<number, EmployeeRecord>();
  /** Deleted employees: id → deletion time (for `/employees/changed` action Deleted). */
  readonly deleted = new Map<number, number>();
  readonly lists: ListField[] = buildLists();
  locations: LocationInfo[];
  readonly categories: FileCategory[] = DEFAULT_FILE_CATEGORIES.map((c) => ({ ...c }));
  readonly files: StoredFile[] = [];
  readonly trainingCategories = [
    { id: 1, name: 'Compliance' },
    { id: 2, name: 'Product' },
  ];
  readonly trainingTypes: TrainingTypeRecord[] = [];
  readonly trainingRecords: TrainingRecordRow[] = [];
  readonly keys = new Map<string, ApiKey>();
  readonly log: RequestLogEntry[] = [];
  readonly faultRng: Rng;
  faults: SandboxFaults = { ...NO_FAULTS };
  switches: BehaviourSwitches;
  limiter: KeyWindow | null;
  keysRevoked = false;
  baseUrl = '';
  readonly webhooks = new Map<number, StoredWebhook>();
  nextWebhookId = 1;
  readonly deliveries: DeliveryAttempt[] = [];
  readonly deliveryQueue: DeliveryQueue;
  webhookSettings: WebhookSettings;
  /** Changes to future-dated rows: webhooks fire when they take effect (spec L16365). */
  private readonly pendingChanges: Array<{ day: string; change: ChangeEvent }> = [];
  private nextFileId = 9001;
  private nextCategoryId = 40;
  private nextTrainingRecordId = 1;
  private nextTrainingTypeId = 1;

  constructor(readonly options: ResolvedOptions) {
    this.clock = new SimClock(options.timeScale, options.now);
    this.switches = options.switches;
    this.webhookSettings = options.webhooks;
    this.deliveryQueue = new DeliveryQueue(this);
    this.limiter = options.rateLimit ? new KeyWindow(options.rateLimit.requests, options.rateLimit.windowMs) : null;
    this.faultRng = new Rng(deriveSeed(options.seed, 0xfa17));
    this.generator = new Generator(options.seed, options.company, this.ids);
    for (const e of this.generator.generate(options.employees, this.clock.now())) this.employees.set(e.id, e);
    this.locations = buildLocations(this.lists, this.switches.locationIdsMatchListOptions);
    for (const t of [
      { name: 'Data Protection Basics', renewable: true, frequency: 12, required: true, categoryId: 1, description: 'Annual GDPR refresher' },
      { name: 'Workplace Safety', renewable: false, required: true, dueFromHireDate: 30, categoryId: 1 },
      { name: 'Product Onboarding', renewable: false, required: false, categoryId: 2, linkUrl: 'https://lms.example.com/courses/onboarding' },
      { name: 'Leadership Essentials', renewable: false, required: null, categoryId: null },
    ])
      this.addTrainingType(t);
    const first = [...this.employees.values()][0];
    this.addKey({ key: `sandbox-${options.company}-${options.seed}-key`, userName: 'API Admin', employeeId: first?.id ?? null });
  }

  now(): number {
    return this.clock.now();
  }

  employeeView(e: EmployeeRecord): Record<string, unknown> {
    return employeeFields(this.view(), e, true);
  }

  /** Publishes a change now, or when `day` arrives for future-dated rows. */
  private emit(kind: ChangeEvent['kind'], employeeId: number, changedFields: string[], day?: string): void {
    const change = { kind, employeeId, changedFields, at: this.now() };
    if (day && day > isoDay(this.now())) this.pendingChanges.push({ day, change });
    else publishChange(this, change);
  }

  /** Fires pending dated changes whose day has come (timer and clock moves call this). */
  scanDates(): void {
    const today = isoDay(this.now());
    for (let i = 0; i < this.pendingChanges.length;) {
      const p = this.pendingChanges[i];
      if (p.day > today) {
        i++;
        continue;
      }
      this.pendingChanges.splice(i, 1);
      if (this.employees.has(p.change.employeeId)) publishChange(this, { ...p.change, at: this.now() });
    }
  }

  view(): ViewContext {
    return { nowMs: this.now(), switches: this.switches, lists: this.lists, byId: (id) => this.employees.get(id), baseUrl: this.baseUrl };
  }

  setSwitches(s: Partial<BehaviourSwitches>): void {
    checkKnown(s, DEFAULT_SWITCHES, 'switch');
    this.switches = { ...this.switches, ...s };
    if ('locationIdsMatchListOptions' in s) this.locations = buildLocations(this.lists, this.switches.locationIdsMatchListOptions);
  }

  setRateLimit(r: RateLimitSettings | false): void {
    this.limiter = r ? new KeyWindow(r.requests, r.windowMs) : null;
  }

  setFaults(f: Partial<SandboxFaults>): void {
    assignKnown(this.faults, f, NO_FAULTS, 'fault');
    if (f.revokeKeysAfterRequests === null) this.keysRevoked = false;
  }

  roll(rate: number): boolean {
    return rate > 0 && this.faultRng.next() < rate;
  }

  addKey(k: Partial<ApiKey> = {}): ApiKey {
    const key: ApiKey = {
      key: k.key ?? `sbx${deriveSeed(this.options.seed, this.keys.size + 7).toString(36)}${this.faultRng.next().toString(36).slice(2, 12)}`,
      hiddenFields: k.hiddenFields ?? [],
      employeeId: k.employeeId ?? null,
      userName: k.userName ?? 'API User',
      visibleEmployeeIds: k.visibleEmployeeIds ?? null,
    };
    if (this.keys.has(key.key)) throw new Error('API key already exists');
    this.keys.set(key.key, key);
    return { ...key, hiddenFields: [...key.hiddenFields], visibleEmployeeIds: key.visibleEmployeeIds ? [...key.visibleEmployeeIds] : null };
  }

  /** Whether the key's user may see this employee (access levels, NOTES §3.2). */
  canSee(key: ApiKey, id: number): boolean {
    return key.visibleEmployeeIds === null || key.visibleEmployeeIds.includes(id);
  }

  get(id: number): EmployeeRecord {
    const e = this.employees.get(id);
    if (!e) throw new Error(`no employee ${id}`);
    return e;
  }

  hire(fields: Record<string, unknown>): EmployeeRecord {
    const manager = fields.reportsToId === undefined ? null : fields.reportsToId === null ? null : Number(fields.reportsToId);
    if (manager !== null && !this.employees.has(manager)) throw new Error(`no manager ${manager}`);
    const rest = { ...fields };
    delete rest.reportsToId;
    this.checkFields(rest, true);
    const e = this.generator.hire(rest, this.now(), manager);
    this.employees.set(e.id, e);
    this.emit(
      'created',
      e.id,
      Object.entries(e.fields)
        .filter(([, v]) => v !== '')
        .map(([k]) => k),
    );
    return e;
  }

  private checkFields(fields: Record<string, unknown>, allowJob: boolean): void {
    const job = ['jobTitle', 'department', 'division', 'location', 'employmentHistoryStatus'];
    for (const k of Object.keys(fields)) {
      if ((STORED_FIELDS as readonly string[]).includes(k)) continue;
      if (allowJob && job.includes(k)) continue;
      throw new Error(`field ${k} cannot be set here${job.includes(k) ? ' (it lives in a table: add a row)' : ''}`);
    }
  }

  update(id: number, fields: Record<string, unknown>): void {
    const e = this.get(id);
    this.checkFields(fields, false);
    const changed = Object.entries(fields)
      .filter(([k, v]) => e.fields[k] !== (v === null || v === undefined ? '' : String(v)))
      .map(([k]) => k);
    for (const [k, v] of Object.entries(fields)) e.fields[k] = v === null || v === undefined ? '' : String(v);
    e.fieldsChangedAt = this.now();
    if (changed.length) this.emit('updated', id, changed);
  }

  remove(id: number): void {
    this.get(id);
    this.employees.delete(id);
    this.deleted.set(id, this.now());
    this.emit('deleted', id, []);
  }

  private checkTable(table: string): asserts table is TableName {
    if (!(TABLES as readonly string[]).includes(table)) throw new Error(`unknown table ${table}`);
  }

  addRow(id: number, table: string, values: Record<string, unknown>): number {
    const e = this.get(id);
    this.checkTable(table);
    const dateCol = DATE_COLUMN[table];
    if (typeof values[dateCol] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(values[dateCol] as string)) {
      throw new Error(`${table} rows need ${dateCol} as YYYY-MM-DD`);
    }
    const row = this.generator.row(table, this.now(), normaliseRow(this.employees, table, values));
    e.tables[table].push(row);
    this.emit('updated', id, rowFields(table, row.values), String(row.values[dateCol]));
    return row.id;
  }

  updateRow(id: number, table: string, rowId: number, values: Record<string, unknown>): void {
    const e = this.get(id);
    this.checkTable(table);
    const row = e.tables[table].find((r) => r.id === rowId);
    if (!row) throw new Error(`no ${table} row ${rowId} for employee ${id}`);
    const normalised = normaliseRow(this.employees, table, values);
    Object.assign(row.values, normalised);
    row.enteredAt = this.now();
    this.emit('updated', id, rowFields(table, { ...normalised, [DATE_COLUMN[table]]: undefined }), String(row.values[DATE_COLUMN[table]]));
  }

  removeRow(id: number, table: string, rowId: number): void {
    const e = this.get(id);
    this.checkTable(table);
    const i = e.tables[table].findIndex((r) => r.id === rowId);
    if (i < 0) throw new Error(`no ${table} row ${rowId} for employee ${id}`);
    const [gone] = e.tables[table].splice(i, 1);
    e.fieldsChangedAt = this.now();
    this.emit('updated', id, rowFields(table, gone.values));
  }

  addCategory(name: string, canUploadFiles = true): FileCategory {
    if (!name.trim()) throw new Error('category name is empty');
    if (this.categories.some((c) => c.name.toLowerCase() === name.trim().toLowerCase())) throw new Error(`category ${name} already exists`);
    const c = { id: this.nextCategoryId++, name: name.trim(), canUploadFiles, canRename: true, displayIfEmpty: true };
    this.categories.push(c);
    return c;
  }

  addFile(f: Omit<StoredFile, 'id'>): StoredFile {
    return addWithId(this.files, this.nextFileId++, f);
  }

  addTrainingType(t: Partial<TrainingTypeRecord> & { name: string }): TrainingTypeRecord {
    if (!t.name) throw new Error('name is required');
    if (t.renewable && !t.frequency) throw new Error('frequency is required when renewable');
    const rec: TrainingTypeRecord = {
      id: this.nextTrainingTypeId++,
      name: t.name,
      renewable: t.renewable ?? false,
      frequency: t.frequency ?? null,
      dueFromHireDate: t.dueFromHireDate ?? null,
      required: t.required === undefined ? false : t.required,
      categoryId: t.categoryId ?? null,
      linkUrl: t.linkUrl ?? null,
      description: t.description ?? null,
      allowEmployeesToMarkComplete: t.allowEmployeesToMarkComplete ?? false,
    };
    this.trainingTypes.push(rec);
    return rec;
  }

  addTrainingRecord(r: Omit<TrainingRecordRow, 'id'>): TrainingRecordRow {
    return addWithId(this.trainingRecords, this.nextTrainingRecordId++, r);
  }

  logRequest(entry: RequestLogEntry): void {
    appendBounded(this.log, entry, this.options.requestLogLimit);
  }
}
