// The unified records every connector yields and the sync engine stores.
//
// Field names follow Kombo's public HRIS schema (snake_case, same enums) so the
// read API can serve them unchanged. Two deliberate differences from Kombo's
// wire models:
// - foreign keys are the HRIS's REMOTE ids (`manager_remote_id`, ...): the sync
//   engine turns them into stable gateway ids when it stores the batch;
// - gateway-owned columns (`id`, `changed_at`, `remote_deleted_at`,
//   `integration_fields`) are absent: connectors cannot know them.
//
// Dates are ISO date-time strings in UTC (`1986-01-01T00:00:00.000Z`) as Kombo
// serves them; calendar dates (birthday, hire date) are midnight UTC of the
// calendar day the HRIS shows, never shifted by a time zone.

/** The unified employee's own facts (a connector fills some of them): one list, read by the coverage, the records module and the API. */
export const EMPLOYEE_DATA_FIELDS = [
  'employee_number',
  'first_name',
  'last_name',
  'nationality',
  'display_full_name',
  'job_title',
  'work_email',
  'personal_email',
  'mobile_phone_number',
  'ssn',
  'tax_id',
  'gender',
  'ethnicity',
  'marital_status',
  'employment_status',
  'employment_type',
  'weekly_hours',
  'avatar',
  'home_address',
  'bank_accounts',
  'date_of_birth',
  'start_date',
  'termination_date',
  'remote_created_at',
] as const;

/** The unified employment's own facts, as above. */
export const EMPLOYMENT_DATA_FIELDS = ['job_title', 'pay_rate', 'pay_period', 'pay_frequency', 'employment_type', 'pay_currency', 'effective_date'] as const;

/** Kombo enum values; like Kombo we pass an unmappable source string through. */
export type UnifiedGender = 'MALE' | 'FEMALE' | 'NON_BINARY' | 'NOT_SPECIFIED';
export type UnifiedEmploymentStatus = 'ACTIVE' | 'PENDING' | 'INACTIVE' | 'LEAVE';
export type UnifiedEmploymentType = 'FULL_TIME' | 'PART_TIME' | 'CONTRACT' | 'INTERNSHIP' | 'FREELANCE' | 'WORKING_STUDENT' | 'APPRENTICESHIP' | 'TRAINING';
export type UnifiedPayPeriod = 'HOUR' | 'DAY' | 'WEEK' | 'TWO_WEEKS' | 'HALF_MONTH' | 'MONTH' | 'TWO_MONTHS' | 'QUARTER' | 'HALF_YEAR' | 'YEAR';
export type UnifiedPayFrequency = 'DAILY' | 'WEEKLY' | 'BIWEEKLY' | 'MONTHLY' | 'SEMIMONTHLY' | 'QUARTERLY' | 'SEMIANNUALLY' | 'ANNUALLY' | 'PRO_RATA';
export type UnifiedGroupType = 'DEPARTMENT' | 'TEAM' | 'COST_CENTER';

/** `(string & {})` keeps editor completion for the enum while allowing passthrough strings. */
type OrRaw<T extends string> = T | (string & {});

export interface UnifiedAddress {
  city: string | null;
  /** ISO 3166-1 alpha-2 where the source gives one, else the source's text. */
  country: string | null;
  raw: string | null;
  state: string | null;
  street_1: string | null;
  street_2: string | null;
  zip_code: string | null;
}

export interface UnifiedBankAccount {
  iban: string | null;
  bic: string | null;
  account_number: string | null;
  holder_name: string | null;
  bank_name: string | null;
  domestic_bank_routing: null;
}

/** Raw source payload keyed by the API path it came from, as Kombo's `remote_data` is. */
export type RemoteData = Record<string, unknown>;

export interface UnifiedEmployee {
  remote_id: string;
  employee_number: string | null;
  first_name: string | null;
  last_name: string | null;
  display_full_name: string | null;
  nationality: string | null;
  job_title: string | null;
  work_email: string | null;
  personal_email: string | null;
  mobile_phone_number: string | null;
  ssn: string | null;
  tax_id: string | null;
  gender: OrRaw<UnifiedGender> | null;
  ethnicity: string | null;
  marital_status: string | null;
  employment_status: OrRaw<UnifiedEmploymentStatus> | null;
  employment_type: OrRaw<UnifiedEmploymentType> | null;
  weekly_hours: number | null;
  avatar: string | null;
  date_of_birth: string | null;
  start_date: string | null;
  termination_date: string | null;
  remote_created_at: string | null;
  manager_remote_id: string | null;
  legal_entity_remote_id: string | null;
  work_location_remote_id: string | null;
  /** Remote ids of the employee's groups (see UnifiedGroup.remote_id for their form). */
  group_remote_ids: string[];
  home_address: UnifiedAddress | null;
  bank_accounts: UnifiedBankAccount[] | null;
  /** Keyed by the HRIS's attribute key (Personio: `dynamic_123`), values normalised. */
  custom_fields: Record<string, unknown>;
  /**
   * Every field the HRIS sent for this record, flat (`key` → plain value; the
   * connector's `fieldKind(key)` says standard or custom). Integration fields,
   * custom-field mappings and filters read this, never the tool's raw payload.
   */
  remote_fields: Record<string, unknown>;
  remote_data: RemoteData;
}

export interface UnifiedEmployment {
  remote_id: string;
  employee_remote_id: string;
  job_title: string | null;
  pay_rate: number | null;
  pay_period: OrRaw<UnifiedPayPeriod> | null;
  pay_frequency: OrRaw<UnifiedPayFrequency> | null;
  employment_type: OrRaw<UnifiedEmploymentType> | null;
  /** ISO 4217 code where the source gives one. */
  pay_currency: string | null;
  effective_date: string | null;
  custom_fields: Record<string, unknown>;
  /** Flat fields of the source record, as on UnifiedEmployee. */
  remote_fields: Record<string, unknown>;
  remote_data: RemoteData;
}

export interface UnifiedGroup {
  /** Unique among the integration's groups even when the HRIS numbers each kind separately. */
  remote_id: string;
  name: string | null;
  type: UnifiedGroupType | null;
  parent_remote_id: string | null;
  remote_data: RemoteData;
}

export interface UnifiedLegalEntity {
  remote_id: string;
  name: string | null;
  address: UnifiedAddress | null;
  remote_data: RemoteData;
}

export interface UnifiedLocation {
  remote_id: string;
  name: string | null;
  address: UnifiedAddress | null;
  /** Free-form in Kombo's schema. */
  type: string | null;
  remote_data: RemoteData;
}

export interface UnifiedDocumentCategory {
  remote_id: string;
  name: string | null;
  remote_data: RemoteData;
}

/**
 * One page of a read. A page that holds an employee holds all of that employee's
 * employments as the HRIS shows them now: the sync engine marks the employee's other
 * stored employments deleted (a removed history row), on delta reads too.
 *
 * Groups, legal entities and locations appear in the first
 * batch that references them and are not repeated later in the same read.
 */
export interface UnifiedBatch {
  employees: UnifiedEmployee[];
  employments: UnifiedEmployment[];
  groups: UnifiedGroup[];
  legal_entities: UnifiedLegalEntity[];
  locations: UnifiedLocation[];
  /**
   * The HRIS account's UTC offset (minutes east) as this page's timestamps show it. The sync
   * engine keeps it to tell the company's calendar day when it re-derives statuses from dates.
   */
  utc_offset_minutes?: number;
  /**
   * Optional, per employee remote id: a digest of every input this batch's records of that
   * person are mapped from, with the connector's mapping version in it (connectors/fingerprint.ts),
   * so equal fingerprints map to equal records — except the employment status a passing date
   * changes, which the sync engine re-derives after every read anyway. When every employee of
   * a page shows the fingerprint stored with it, the engine takes the page as unchanged without
   * reading its records, which a batch with fingerprints may therefore map lazily (lazyBatch).
   * A connector gives them only when every other record of the batch is an employment of one
   * of its employees or a group, legal entity or location one of them names (the engine then
   * tells what the page holds from the store), and then for every employee of the batch.
   */
  source_fingerprints?: ReadonlyMap<string, string>;
}
