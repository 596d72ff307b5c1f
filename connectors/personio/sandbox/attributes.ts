import { Company } from './company';
import { DateFormatter, dayStartMs } from './dates';
import { JsonOut } from './json-out';
import { CUSTOM_ATTRIBUTES, EmployeeRecord } from './model';

export type AttributeType = 'standard' | 'date' | 'integer' | 'decimal' | 'list' | 'link' | 'tags' | 'multiline';

export interface RenderContext {
  company: Company;
  dates: DateFormatter;
  nowMs: number;
  today: number;
  /** A date passing moves `last_modified_at` too (off by default: see PersonioSandboxOptions.datesTouchLastModified). */
  datesTouchLastModified: boolean;
  baseUrl: string;
  employee(id: number): EmployeeRecord | undefined;
}

export interface AttributeDef {
  key: string;
  label: string;
  type: AttributeType;
  universalId: string | null;
  options: string[];
  /** JSON of the attribute's `value`, as text or pre-encoded bytes. */
  value(e: EmployeeRecord, ctx: RenderContext): string | Buffer;
  /** Pre-encoded JSON around the value: `"key":{"label":…,"value":` and `,"type":…}`. */
  prefix: Buffer;
  suffix: Buffer;
}

const str = (s: string | null) => JSON.stringify(s);
const quoted = new Map<string, string>();
/** JSON.stringify for values drawn from small pools (names, positions, enums): memoised. */
const q = (s: string) => {
  let j = quoted.get(s);
  if (j === undefined) {
    j = JSON.stringify(s);
    if (quoted.size < 20_000) quoted.set(s, j);
  }
  return j;
};
const dateOrNull = (day: number | null, ctx: RenderContext) => (day === null ? 'null' : q(ctx.dates.day(day)));
const orgValue =
  (list: keyof Pick<Company, 'subcompanies' | 'offices' | 'departments' | 'teams' | 'holidayCalendars'>) =>
  (index: number, ctx: RenderContext): string | Buffer =>
    index < 0 ? 'null' : ctx.company[list][index].json;

/**
 * Personio moves people between statuses on its own as dates pass (onboarding → active on the
 * hire date, → inactive after the termination date); we derive it from the simulated clock.
 */
export function effectiveStatus(e: EmployeeRecord, ctx: Pick<RenderContext, 'today' | 'dates'>): { status: string; since: number | null } {
  if (e.terminationDay !== null && e.terminationDay < ctx.today) {
    return { status: 'inactive', since: dayStartMs(e.terminationDay + 1, ctx.dates.offsetMinutes) };
  }
  if (e.status === 'onboarding' && e.hireDay <= ctx.today) {
    return { status: 'active', since: dayStartMs(e.hireDay, ctx.dates.offsetMinutes) };
  }
  if (e.status === 'active' && e.hireDay > ctx.today) return { status: 'onboarding', since: null };
  return { status: e.status, since: null };
}

/**
 * Modelled assumption: real Personio is not known to move `last_modified_at` when a status
 * changes only because a date passed, so by default it stays (and `updated_since` does not
 * return the person). `datesTouchLastModified` models the opposite.
 */
export function effectiveLastModified(e: EmployeeRecord, ctx: Pick<RenderContext, 'today' | 'dates' | 'datesTouchLastModified'>): number {
  if (!ctx.datesTouchLastModified) return e.lastModifiedAt;
  const { since } = effectiveStatus(e, ctx);
  return since !== null && since > e.lastModifiedAt ? since : e.lastModifiedAt;
}

/** When one attribute last changed; untouched attributes count as changed at the generated last_modified_at. */
export function attributeChangedAt(e: EmployeeRecord, key: string, ctx: Pick<RenderContext, 'today' | 'dates' | 'datesTouchLastModified'>): number {
  if (key === 'status' || key === 'last_modified_at') return effectiveLastModified(e, ctx);
  const explicit = e.changedAt?.get(key);
  if (explicit !== undefined) return explicit;
  return e.changedAt?.get('') ?? e.lastModifiedAt;
}

type Spec = [key: string, label: string, type: AttributeType, value: AttributeDef['value'], extra?: { universalId?: string | null; currency?: string }];

const STANDARD: Spec[] = [
  ['id', 'ID', 'integer', (e) => String(e.id)],
  ['first_name', 'First name', 'standard', (e) => q(e.firstName)],
  ['last_name', 'Last name', 'standard', (e) => q(e.lastName)],
  ['preferred_name', 'Name (preferred)', 'standard', (e) => str(e.preferredName)],
  ['email', 'Email', 'standard', (e) => str(e.email)],
  ['gender', 'Gender', 'standard', (e) => q(e.gender)],
  ['status', 'Status', 'standard', (e, ctx) => q(effectiveStatus(e, ctx).status)],
  ['position', 'Position', 'standard', (e) => q(e.position)],
  ['supervisor', 'Supervisor', 'standard', () => 'null'], // replaced in render(): depends on the whitelist
  ['employment_type', 'Employment type', 'standard', (e) => (e.external ? '"external"' : '"internal"')],
  ['weekly_working_hours', 'Weekly hours', 'standard', (e) => q(e.weeklyHours)],
  ['hire_date', 'Hire date', 'date', (e, ctx) => q(ctx.dates.day(e.hireDay))],
  ['contract_end_date', 'Contract ends', 'date', (e, ctx) => dateOrNull(e.contractEndDay, ctx)],
  ['termination_date', 'Termination date', 'date', (e, ctx) => dateOrNull(e.terminationDay, ctx)],
  ['termination_type', 'Termination type', 'standard', (e) => q(e.terminationType)],
  ['termination_reason', 'Termination reason', 'standard', (e) => q(e.terminationReason)],
  ['probation_period_end', 'Probation period end', 'date', (e, ctx) => dateOrNull(e.probationEndDay, ctx)],
  ['created_at', 'created_at', 'date', (e, ctx) => str(ctx.dates.instant(e.createdAt))],
  ['last_modified_at', 'Last modified', 'date', (e, ctx) => str(ctx.dates.instant(effectiveLastModified(e, ctx)))],
  ['subcompany', 'Subcompany', 'standard', (e, ctx) => orgValue('subcompanies')(e.subcompany, ctx)],
  ['office', 'Office', 'standard', (e, ctx) => orgValue('offices')(e.office, ctx)],
  ['department', 'Department', 'standard', (e, ctx) => orgValue('departments')(e.department, ctx)],
  ['cost_centers', 'Cost center', 'standard', costCenters],
  ['holiday_calendar', 'Public holidays', 'standard', (e, ctx) => orgValue('holidayCalendars')(e.holidayCalendar, ctx)],
  ['absence_entitlement', 'Absence entitlement', 'standard', (e, ctx) => ctx.company.timeOffTypeJson(e.entitlement)],
  ['work_schedule', 'Work schedule', 'standard', (e, ctx) => ctx.company.workSchedules[e.schedule].json],
  ['fix_salary', 'Fix salary', 'decimal', (e) => String(e.fixSalary), { currency: 'EUR' }],
  ['fix_salary_interval', 'Salary interval', 'standard', (e) => q(e.salaryInterval)],
  ['hourly_salary', 'Hourly salary', 'decimal', (e) => String(e.hourlySalary), { currency: 'EUR' }],
  ['last_working_day', 'Last day of work', 'date', (e, ctx) => dateOrNull(e.lastWorkingDay, ctx)],
  ['profile_picture', 'Profile Picture', 'standard', (e, ctx) => (e.hasPicture ? str(`${ctx.baseUrl}/v1/company/employees/${e.id}/profile-picture`) : 'null')],
  ['team', 'Team', 'standard', (e, ctx) => orgValue('teams')(e.team, ctx)],
];

function costCenters(e: EmployeeRecord, ctx: RenderContext): string {
  if (e.costCenters.length === 0) return '[]';
  const parts: string[] = [];
  for (let i = 0; i < e.costCenters.length; i += 2) {
    const cc = ctx.company.costCenters[e.costCenters[i]];
    parts.push(`{"type":"CostCenter","attributes":{"id":${cc.id},"name":${str(cc.name)},"percentage":${e.costCenters[i + 1]}}}`);
  }
  return `[${parts.join(',')}]`;
}

function customValue(index: number, type: AttributeType): AttributeDef['value'] {
  if (type === 'date') return (e, ctx) => dateOrNull(e.custom[index] as number | null, ctx);
  return (e) => {
    const v = e.custom[index];
    return v === null || v === undefined ? 'null' : typeof v === 'number' ? String(v) : type === 'list' || type === 'tags' ? q(v) : str(v);
  };
}

function build([key, label, type, value, extra]: Spec, options: string[] = []): AttributeDef {
  const universalId = extra?.universalId !== undefined ? extra.universalId : key;
  const currency = extra?.currency ? `,"currency":${str(extra.currency)}` : '';
  return {
    key,
    label,
    type,
    universalId,
    options,
    value,
    prefix: Buffer.from(`${str(key)}:{"label":${str(label)},"value":`),
    suffix: Buffer.from(`,"type":${str(type)},"universal_id":${str(universalId)}${currency}}`),
  };
}

export const ATTRIBUTES: readonly AttributeDef[] = [
  ...STANDARD.map((s) => build(s)),
  ...CUSTOM_ATTRIBUTES.map((c, i) => build([c.key, c.label, c.type, customValue(i, c.type), { universalId: c.universalId }], c.options)),
];

export const ATTRIBUTE_KEYS: readonly string[] = ATTRIBUTES.map((a) => a.key);
export const ATTRIBUTE_BY_KEY = new Map(ATTRIBUTES.map((a) => [a.key, a]));
const SUPERVISOR_KEYS = ['id', 'first_name', 'last_name', 'email'].map((k) => ATTRIBUTE_BY_KEY.get(k)!);

export type AttributeFilter = (key: string) => boolean;

const OPEN = Buffer.from('{"type":"Employee","attributes":{');
const CLOSE = Buffer.from('}}');
const COMMA = Buffer.from(',');

/** Whitelist 'all' without projection: lets renderEmployee take the pre-joined fast path. */
export const ALLOW_ALL: AttributeFilter = () => true;

/** For the fast path: OPEN+prefix₀, then suffixᵢ+','+prefixᵢ₊₁ as one copy, then suffixₙ+CLOSE. */
const JOINTS: Buffer[] = ATTRIBUTES.map((def, i) =>
  i + 1 < ATTRIBUTES.length ? Buffer.concat([def.suffix, COMMA, ATTRIBUTES[i + 1].prefix]) : Buffer.concat([def.suffix, CLOSE]),
);
const HEAD = Buffer.concat([OPEN, ATTRIBUTES[0].prefix]);

/** One employee as Personio's `{type:"Employee",attributes:{…}}`, filtered by whitelist/projection. */
export function renderEmployee(e: EmployeeRecord, ctx: RenderContext, allowed: AttributeFilter, out: JsonOut): void {
  if (allowed === ALLOW_ALL) {
    out.raw(HEAD);
    for (let i = 0; i < ATTRIBUTES.length; i++) {
      const def = ATTRIBUTES[i];
      if (def.key === 'supervisor') supervisorValue(e, ctx, allowed, out);
      else out.value(def.value(e, ctx));
      out.raw(JOINTS[i]);
    }
    return;
  }
  renderFiltered(ATTRIBUTES, e, ctx, allowed, out);
}

/** `{…}` of the definitions the credential may read (`id` always); `supervisor` nests the short employee. */
function renderFiltered(defs: readonly AttributeDef[], e: EmployeeRecord, ctx: RenderContext, allowed: AttributeFilter, out: JsonOut): void {
  out.raw(OPEN);
  let first = true;
  for (const def of defs) {
    if (def.key !== 'id' && !allowed(def.key)) continue;
    if (!first) out.raw(COMMA);
    first = false;
    out.raw(def.prefix);
    if (def.key === 'supervisor') supervisorValue(e, ctx, allowed, out);
    else out.value(def.value(e, ctx));
    out.raw(def.suffix);
  }
  out.raw(CLOSE);
}

export function renderEmployeeText(e: EmployeeRecord, ctx: RenderContext, allowed: AttributeFilter): string {
  const out = new JsonOut(8192);
  renderEmployee(e, ctx, allowed, out);
  return out.bytes().toString('utf8');
}

/** The nested supervisor carries the short-employee attributes the credential may read. */
function supervisorValue(e: EmployeeRecord, ctx: RenderContext, allowed: AttributeFilter, out: JsonOut): void {
  const sup = e.supervisorId === null ? undefined : ctx.employee(e.supervisorId);
  if (!sup) return out.text('null');
  renderFiltered(SUPERVISOR_KEYS, sup, ctx, allowed, out);
}
