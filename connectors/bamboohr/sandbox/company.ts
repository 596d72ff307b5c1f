import { FileCategory, ListField, LocationInfo } from './model';
import { ADDRESS_FIELDS } from '../address-fields';

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
/** One office a row (label, division, street, zip, city, [state, code], [country, code], timezone): the data is the point here. */
const office = (
  label: string,
  division: string,
  address1: string | null,
  zipcode: string | null,
  city: string | null,
  state: [string, string] | null,
  country: [string, string] | null,
  timezone: string | null,
  flags: { remote?: boolean; archived?: boolean } = {},
): OfficeDef => ({ label, division, address1, zipcode, city, state, country, timezone, ...flags });
export const OFFICES: OfficeDef[] = [
  office('Munich', 'DACH', 'Leopoldstraße 1', '80802', 'München', ['Bavaria', 'BY'], ['Germany', 'DE'], 'Europe/Berlin'),
  office('Berlin', 'DACH', 'Torstraße 109', '10119', 'Berlin', ['Berlin', 'BE'], ['Germany', 'DE'], 'Europe/Berlin'),
  office('Vienna', 'DACH', 'Mariahilfer Straße 77', '1060', 'Wien', ['Vienna', 'W'], ['Austria', 'AT'], 'Europe/Vienna'),
  office('Zürich', 'DACH', 'Bahnhofstrasse 10', '8001', 'Zürich', ['Zürich', 'ZH'], ['Switzerland', 'CH'], 'Europe/Zurich'),
  office('Stockholm', 'Nordics', 'Sveavägen 44', '111 34', 'Stockholm', null, ['Sweden', 'SE'], 'Europe/Stockholm'),
  office('Madrid', 'Iberia', 'Calle de Alcalá 50', '28014', 'Madrid', ['Madrid', 'MD'], ['Spain', 'ES'], 'Europe/Madrid'),
  office('Salt Lake City', 'North America', '335 S 400 W', '84101', 'Salt Lake City', ['Utah', 'UT'], ['United States', 'US'], 'America/Denver'),
  office('Remote', 'DACH', null, null, null, null, null, null, { remote: true }),
  office('Hamburg (closed)', 'DACH', 'Jungfernstieg 7', '20354', 'Hamburg', ['Hamburg', 'HH'], ['Germany', 'DE'], 'Europe/Berlin', { archived: true }),
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

// The /meta/fields catalogue lives in field-catalogue.ts; re-exported so './company' stays the one import for company set-up.
export { FIELD_CATALOGUE } from './field-catalogue';

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
  ...ADDRESS_FIELDS,
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
