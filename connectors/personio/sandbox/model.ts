/**
 * Compact employee record. Dates are day numbers (days since 1970-01-01), instants are ms,
 * org references are indices into the Company tables (-1 = none). Attribute objects are
 * rendered per request, never stored, so 100k employees stay small.
 */
export type StoredStatus = 'active' | 'leave' | 'onboarding' | 'inactive';
export type Gender = 'male' | 'female' | 'diverse';

export class EmployeeRecord {
  id = 0;
  firstName = '';
  lastName = '';
  preferredName = '';
  email = '';
  gender: Gender = 'diverse';
  status: StoredStatus = 'active';
  position = '';
  supervisorId: number | null = null;
  external = false;
  weeklyHours = '40';
  schedule = 0;
  hireDay = 0;
  contractEndDay: number | null = null;
  terminationDay: number | null = null;
  lastWorkingDay: number | null = null;
  probationEndDay: number | null = null;
  terminationType = '';
  terminationReason = '';
  createdAt = 0;
  lastModifiedAt = 0;
  subcompany = -1;
  office = -1;
  department = -1;
  team = -1;
  holidayCalendar = -1;
  /** Flat pairs [costCenterIndex, percentage, …]. */
  costCenters: number[] = [];
  entitlement = 0;
  fixSalary = 0;
  salaryInterval = '';
  hourlySalary = 0;
  hasPicture = false;
  /** Values of the custom attributes, in CUSTOM_ATTRIBUTES order. */
  custom: Array<string | number | null> = [];
  /** Per-attribute change instants after creation; drives `updated_since` + `attributes[]` selection. */
  changedAt: Map<string, number> | null = null;
}

export interface CustomAttributeDef {
  key: string;
  label: string;
  type: 'standard' | 'date' | 'integer' | 'decimal' | 'list' | 'tags' | 'multiline' | 'link';
  universalId: string | null;
  options: string[];
}

/** Custom attributes of the simulated account; documented in docs/personio-sandbox.md. */
export const CUSTOM_ATTRIBUTES: readonly CustomAttributeDef[] = [
  { key: 'dynamic_990101', label: 'IBAN', type: 'standard', universalId: 'iban', options: [] },
  { key: 'dynamic_990102', label: 'Birthday', type: 'date', universalId: 'date_of_birth', options: [] },
  { key: 'dynamic_990103', label: 'Years of experience', type: 'integer', universalId: null, options: [] },
  { key: 'dynamic_990104', label: 'Training budget', type: 'decimal', universalId: null, options: [] },
  { key: 'dynamic_990105', label: 'T-shirt size', type: 'list', universalId: null, options: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] },
  {
    key: 'dynamic_990106',
    label: 'Language skills',
    type: 'tags',
    universalId: null,
    options: ['Deutsch', 'English', 'Español', 'Français', 'Polski', 'Türkçe', 'Svenska'],
  },
  { key: 'dynamic_990107', label: 'Notes', type: 'multiline', universalId: null, options: [] },
  { key: 'dynamic_990108', label: 'LinkedIn profile', type: 'link', universalId: null, options: [] },
  { key: 'dynamic_990109', label: 'Personnel number', type: 'standard', universalId: 'employee_number', options: [] },
  { key: 'dynamic_990110', label: 'Titel', type: 'standard', universalId: null, options: [] },
];

export const CUSTOM_INDEX = new Map(CUSTOM_ATTRIBUTES.map((a, i) => [a.key, i]));
