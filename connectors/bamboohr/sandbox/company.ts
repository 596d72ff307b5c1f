import { FieldMeta, FileCategory, ListField, LocationInfo } from './model';

/** Fixed company set-up: list fields (departments, divisions, locations …), locations, field catalogue. */

export const DAY_MS = 86_400_000;
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
/** BambooHR's `2011-06-02T19:26:23+00:00` style (NOTES §4.4). */
export const isoSeconds = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + '+00:00';

export const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'People & Culture', 'Finance', 'Customer Success', 'Operations'];
export const DIVISIONS = ['DACH', 'Nordics', 'Iberia', 'North America'];
export const JOB_TITLES: Record<string, string[]> = {
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'QA Analyst', 'DevOps Engineer'],
  Sales: ['Account Executive', 'Sales Manager', 'Sales Development Representative'],
  Marketing: ['Marketing Manager', 'Content Writer', 'Product Marketing Manager'],
  'People & Culture': ['HR Generalist', 'Recruiter', 'Head of People'],
  Finance: ['Accountant', 'Controller', 'Payroll Specialist'],
  'Customer Success': ['Customer Success Manager', 'Support Engineer', 'Onboarding Specialist'],
  Operations: ['Office Manager', 'Operations Analyst', 'Facility Coordinator'],
};
export const ALL_JOB_TITLES = [...new Set(Object.values(JOB_TITLES).flat())];
/** Account-defined employmentStatus values (NOTES §7); `Leave of Absence` exercises the LEAVE rule. */
export const EMPLOYMENT_STATUSES = ['Full-Time', 'Part-Time', 'Contractor', 'Intern', 'Leave of Absence', 'Terminated'];
export const TERMINATION_REASONS = ['Relocation', 'Better Opportunity', 'Project Ended', 'Performance', 'Retirement'];
export const TERMINATION_TYPES = ['Resignation (Voluntary)', 'Termination (Involuntary)', 'Death', 'Retirement'];
export const REHIRE = ['Yes', 'No', 'Upon review'];
export const SHIRT_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
export const PAY_SCHEDULES = ['Monthly', 'Bi-Weekly', 'Semi-Monthly'];

interface OfficeDef {
  label: string;
  division: string;
  address1: string | null;
  zipcode: string | null;
  city: string | null;
  state: [string, string] | null;
  country: [string, string] | null;
  timezone: string | null;
  remote?: boolean;
  archived?: boolean;
}
export const OFFICES: OfficeDef[] = [
  {
    label: 'Munich',
    division: 'DACH',
    address1: 'Leopoldstraße 1',
    zipcode: '80802',
    city: 'München',
    state: ['Bavaria', 'BY'],
    country: ['Germany', 'DE'],
    timezone: 'Europe/Berlin',
  },
  {
    label: 'Berlin',
    division: 'DACH',
    address1: 'Torstraße 109',
    zipcode: '10119',
    city: 'Berlin',
    state: ['Berlin', 'BE'],
    country: ['Germany', 'DE'],
    timezone: 'Europe/Berlin',
  },
  {
    label: 'Vienna',
    division: 'DACH',
    address1: 'Mariahilfer Straße 77',
    zipcode: '1060',
    city: 'Wien',
    state: ['Vienna', 'W'],
    country: ['Austria', 'AT'],
    timezone: 'Europe/Vienna',
  },
  {
    label: 'Zürich',
    division: 'DACH',
    address1: 'Bahnhofstrasse 10',
    zipcode: '8001',
    city: 'Zürich',
    state: ['Zürich', 'ZH'],
    country: ['Switzerland', 'CH'],
    timezone: 'Europe/Zurich',
  },
  {
    label: 'Stockholm',
    division: 'Nordics',
    address1: 'Sveavägen 44',
    zipcode: '111 34',
    city: 'Stockholm',
    state: null,
    country: ['Sweden', 'SE'],
    timezone: 'Europe/Stockholm',
  },
  {
    label: 'Madrid',
    division: 'Iberia',
    address1: 'Calle de Alcalá 50',
    zipcode: '28014',
    city: 'Madrid',
    state: ['Madrid', 'MD'],
    country: ['Spain', 'ES'],
    timezone: 'Europe/Madrid',
  },
  {
    label: 'Salt Lake City',
    division: 'North America',
    address1: '335 S 400 W',
    zipcode: '84101',
    city: 'Salt Lake City',
    state: ['Utah', 'UT'],
    country: ['United States', 'US'],
    timezone: 'America/Denver',
  },
  { label: 'Remote', division: 'DACH', address1: null, zipcode: null, city: null, state: null, country: null, timezone: null, remote: true },
  {
    label: 'Hamburg (closed)',
    division: 'DACH',
    address1: 'Jungfernstieg 7',
    zipcode: '20354',
    city: 'Hamburg',
    state: ['Hamburg', 'HH'],
    country: ['Germany', 'DE'],
    timezone: 'Europe/Berlin',
    archived: true,
  },
];

/** Active offices people are placed in (the archived one only appears in old history rows). */
export const ACTIVE_OFFICES = OFFICES.filter((o) => !o.archived).map((o) => o.label);

const CREATED = '2015-01-05T09:00:00+00:00';

/** List fields with option ids; ids are unique per company here (real uniqueness scope UNVERIFIED). */
export function buildLists(): ListField[] {
  let next = 1;
  const options = (names: string[], archived: string[] = []) =>
    names.map((name) => ({
      id: next++,
      name,
      archived: archived.includes(name),
      createdDate: CREATED,
      archivedDate: archived.includes(name) ? '2024-06-30T12:00:00+00:00' : null,
    }));
  return [
    {
      fieldId: 4,
      alias: 'department',
      name: 'Department',
      manageable: true,
      multiple: false,
      options: options([...DEPARTMENTS, 'Legal (merged)'], ['Legal (merged)']),
    },
    { fieldId: 5, alias: 'division', name: 'Division', manageable: true, multiple: false, options: options(DIVISIONS) },
    {
      fieldId: 6,
      alias: 'location',
      name: 'Location',
      manageable: true,
      multiple: false,
      options: options(
        OFFICES.map((o) => o.label),
        OFFICES.filter((o) => o.archived).map((o) => o.label),
      ),
    },
    { fieldId: 17, alias: 'jobTitle', name: 'Job Title', manageable: true, multiple: false, options: options(ALL_JOB_TITLES) },
    { fieldId: 1360, alias: 'employmentHistoryStatus', name: 'Employment Status', manageable: true, multiple: false, options: options(EMPLOYMENT_STATUSES) },
    { fieldId: 1361, alias: 'terminationReasonId', name: 'Termination Reason', manageable: true, multiple: false, options: options(TERMINATION_REASONS) },
    { fieldId: 1362, alias: 'terminationTypeId', name: 'Termination Type', manageable: false, multiple: false, options: options(TERMINATION_TYPES) },
    { fieldId: 4390, alias: 'customShirtSize', name: 'Shirt size', manageable: true, multiple: false, options: options(SHIRT_SIZES) },
    {
      fieldId: 4391,
      alias: 'customLanguages',
      name: 'Languages',
      manageable: true,
      multiple: true,
      options: options(['German', 'English', 'Spanish', 'Swedish', 'French']),
    },
  ];
}

export function buildLocations(lists: ListField[], matchIds: boolean): LocationInfo[] {
  const opts = lists.find((l) => l.alias === 'location')!.options;
  return OFFICES.map((o, i) => {
    const opt = opts.find((x) => x.name === o.label)!;
    return {
      id: matchIds ? String(opt.id) : String(900 + i),
      optionId: opt.id,
      label: o.label,
      address1: o.address1,
      address2: null,
      city: o.city,
      zipcode: o.zipcode,
      state: o.state ? { id: String(100 + i), name: o.state[0], abbreviation: o.state[1] } : null,
      country: o.country ? { id: String(200 + ['DE', 'AT', 'CH', 'SE', 'ES', 'US'].indexOf(o.country[1])), name: o.country[0], isoCode: o.country[1] } : null,
      timezone: o.timezone,
      remote: o.remote === true,
      archived: o.archived === true,
      createdAt: '2015-01-05T09:00:00Z',
      archivedAt: o.archived ? '2024-06-30T12:00:00Z' : null,
    };
  });
}

export const DEFAULT_FILE_CATEGORIES: FileCategory[] = [
  { id: 12, name: 'Contracts', canUploadFiles: true, canRename: false, displayIfEmpty: true },
  { id: 13, name: 'Payroll', canUploadFiles: false, canRename: false, displayIfEmpty: true },
  { id: 14, name: 'Onboarding Documents', canUploadFiles: true, canRename: true, displayIfEmpty: true },
  { id: 15, name: 'Signed Documents', canUploadFiles: true, canRename: false, displayIfEmpty: false },
];

/**
 * `/meta/fields` catalogue: standard aliases, custom fields with `custom…` aliases and one
 * custom field reachable only by its numeric id (NOTES §8). Ids are invented but stable.
 */
export const FIELD_CATALOGUE: FieldMeta[] = [
  { id: 1, name: 'First Name', type: 'text', alias: 'firstName' },
  { id: 2, name: 'Last Name', type: 'text', alias: 'lastName' },
  { id: 3, name: 'Middle Name', type: 'text', alias: 'middleName' },
  { id: 1358, name: 'Preferred Name', type: 'text', alias: 'preferredName' },
  { id: 4000, name: 'Display name', type: 'text', alias: 'displayName' },
  { id: 4001, name: 'Full name 1', type: 'text', alias: 'fullName1' },
  { id: 4002, name: 'Full name 2', type: 'text', alias: 'fullName2' },
  { id: 17, name: 'Job Title', type: 'list', alias: 'jobTitle' },
  { id: 4, name: 'Department', type: 'list', alias: 'department' },
  { id: 5, name: 'Division', type: 'list', alias: 'division' },
  { id: 6, name: 'Location', type: 'list', alias: 'location' },
  { id: 91, name: 'Reporting to', type: 'employee', alias: 'supervisor' },
  { id: 92, name: 'Supervisor EID', type: 'int', alias: 'supervisorEId' },
  { id: 93, name: 'Supervisor ID', type: 'int', alias: 'supervisorId' },
  { id: 18, name: 'Employee #', type: 'text', alias: 'employeeNumber' },
  { id: 19, name: 'Status', type: 'status', alias: 'status' },
  { id: 1359, name: 'Employment status (deprecated)', type: 'status', alias: 'employmentStatus', deprecated: true },
  { id: 1360, name: 'Employment Status', type: 'list', alias: 'employmentHistoryStatus' },
  { id: 1361, name: 'Termination Reason', type: 'list', alias: 'terminationReasonId' },
  { id: 20, name: 'Hire Date', type: 'date', alias: 'hireDate' },
  { id: 21, name: 'Original Hire Date', type: 'date', alias: 'originalHireDate' },
  { id: 22, name: 'Termination Date', type: 'date', alias: 'terminationDate' },
  { id: 15, name: 'Work Email', type: 'email', alias: 'workEmail' },
  { id: 16, name: 'Home Email', type: 'email', alias: 'homeEmail' },
  { id: 4003, name: 'Best Email', type: 'email', alias: 'bestEmail' },
  { id: 13, name: 'Work Phone', type: 'phone', alias: 'workPhone' },
  { id: 14, name: 'Work Ext.', type: 'text', alias: 'workPhoneExtension' },
  { id: 12, name: 'Mobile Phone', type: 'phone', alias: 'mobilePhone' },
  { id: 11, name: 'Home Phone', type: 'phone', alias: 'homePhone' },
  { id: 7, name: 'Address Line 1', type: 'text', alias: 'address1' },
  { id: 8, name: 'Address Line 2', type: 'text', alias: 'address2' },
  { id: 9, name: 'City', type: 'text', alias: 'city' },
  { id: 10, name: 'State', type: 'state', alias: 'state' },
  { id: 23, name: 'Zip', type: 'text', alias: 'zipcode' },
  { id: 24, name: 'Country', type: 'country', alias: 'country' },
  { id: 25, name: 'Birth Date', type: 'date', alias: 'dateOfBirth' },
  { id: 26, name: 'Gender', type: 'gender', alias: 'gender' },
  { id: 27, name: 'Marital Status', type: 'list', alias: 'maritalStatus' },
  { id: 28, name: 'Ethnicity', type: 'list', alias: 'ethnicity' },
  { id: 4004, name: 'Nationality', type: 'list', alias: 'nationality' },
  { id: 30, name: 'Pay rate', type: 'currency', alias: 'payRate' },
  { id: 31, name: 'Pay type', type: 'pay_type', alias: 'payType' },
  { id: 32, name: 'Pay per', type: 'list', alias: 'payPer' },
  { id: 33, name: 'Pay schedule', type: 'list', alias: 'paySchedule' },
  { id: 34, name: 'Pay rate effective date', type: 'date', alias: 'payRateEffectiveDate' },
  { id: 35, name: 'FLSA Code', type: 'exempt', alias: 'exempt' },
  { id: 4005, name: 'Standard Hours Per Week', type: 'int', alias: 'standardHoursPerWeek' },
  { id: 4006, name: 'Last changed', type: 'timestamp', alias: 'lastChanged' },
  { id: 4007, name: 'Photo uploaded', type: 'bool', alias: 'photoUploaded' },
  { id: 4008, name: 'Photo URL', type: 'url', alias: 'photoUrl' },
  { id: 4009, name: 'LinkedIn URL', type: 'url', alias: 'linkedinUrl' },
  { id: 4390, name: 'Shirt size', type: 'list', alias: 'customShirtSize' },
  { id: 4391, name: 'Languages', type: 'multilist', alias: 'customLanguages' },
  { id: 4392, name: 'LMS user id', type: 'text', alias: 'customLmsUserId' },
  { id: 4388, name: 'Badge number', type: 'text' },
  { id: '4020.1', name: 'Emergency contact - Name', type: 'text' },
];

/** Stored top-level aliases the generator fills and the control API may change. */
export const STORED_FIELDS = [
  'employeeNumber',
  'firstName',
  'middleName',
  'lastName',
  'preferredName',
  'status',
  'gender',
  'maritalStatus',
  'ethnicity',
  'nationality',
  'dateOfBirth',
  'workEmail',
  'homeEmail',
  'workPhone',
  'workPhoneExtension',
  'mobilePhone',
  'homePhone',
  'address1',
  'address2',
  'city',
  'state',
  'zipcode',
  'country',
  'hireDate',
  'originalHireDate',
  'standardHoursPerWeek',
  'photoUploaded',
  'linkedinUrl',
  'customShirtSize',
  'customLanguages',
  'customLmsUserId',
  '4388',
] as const;
