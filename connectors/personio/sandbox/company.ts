import { Rng } from '../../sandbox-kit/random';

/** An org entity as Personio nests it: `{type, attributes:{id, name, …}}`, pre-serialised once. */
export interface OrgEntity {
  id: number;
  name: string;
  json: Buffer;
}

export interface WorkScheduleDef extends OrgEntity {
  weeklyHours: number;
}

export interface Company {
  name: string;
  domain: string;
  subcompanies: OrgEntity[];
  offices: OrgEntity[];
  departments: OrgEntity[];
  teams: OrgEntity[];
  teamDepartment: number[]; // team index → department index, so teams sit inside departments
  costCenters: OrgEntity[];
  holidayCalendars: OrgEntity[];
  officeCalendar: number[]; // office index → holiday calendar index
  workSchedules: WorkScheduleDef[];
  timeOffTypeJson: (entitlement: number) => Buffer;
}

const OFFICES: ReadonlyArray<[string, number]> = [
  ['München', 0],
  ['Berlin', 1],
  ['Hamburg', 2],
  ['Köln', 3],
  ['Wien', 4],
  ['Zürich', 5],
  ['Madrid', 6],
  ['Düsseldorf', 3],
  ['Frankfurt am Main', 7],
  ['Stuttgart', 8],
  ['Lisboa', 9],
  ['Kraków', 10],
  ['Malmö', 11],
  ['Leipzig', 12],
  ['Nürnberg', 0],
  ['Graz', 13],
  ['Barcelona', 14],
  ['Paris', 15],
  ['Amsterdam', 16],
  ['Remote', 1],
];

const CALENDARS: ReadonlyArray<[string, string, string | null]> = [
  ['Deutschland (Bayern) Feiertage', 'DE', 'Bayern'],
  ['Deutschland (Berlin) Feiertage', 'DE', 'Berlin'],
  ['Deutschland (Hamburg) Feiertage', 'DE', 'Hamburg'],
  ['Deutschland (Nordrhein-Westfalen) Feiertage', 'DE', 'Nordrhein-Westfalen'],
  ['Österreich (Wien) Feiertage', 'AT', 'Wien'],
  ['Schweiz (Zürich) Feiertage', 'CH', 'Zürich'],
  ['España (Madrid) Festivos', 'ES', 'Madrid'],
  ['Deutschland (Hessen) Feiertage', 'DE', 'Hessen'],
  ['Deutschland (Baden-Württemberg) Feiertage', 'DE', 'Baden-Württemberg'],
  ['Portugal Feriados', 'PT', null],
  ['Polska Święta', 'PL', null],
  ['Sverige Helgdagar', 'SE', null],
  ['Deutschland (Sachsen) Feiertage', 'DE', 'Sachsen'],
  ['Österreich (Steiermark) Feiertage', 'AT', 'Steiermark'],
  ['España (Cataluña) Festivos', 'ES', 'Cataluña'],
  ['France Jours fériés', 'FR', null],
  ['Nederland Feestdagen', 'NL', null],
];

export const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Customer Support',
  'Marketing',
  'Finance',
  'People & Culture',
  'Operations',
  'Product',
  'Legal',
  'Customer Success',
  'Data & Analytics',
  'IT',
  'Procurement',
  'Logistik',
  'Qualitätssicherung',
  'Facility Management',
  'Research',
  'Business Development',
  'Controlling',
  'Einkauf',
  'Produktion',
  'Security',
  'Design',
  'Partnerships',
  'Training & Development',
  'Revenue Operations',
  'Compliance',
  'Communications',
] as const;

const SUBCOMPANY_SUFFIXES = ['GmbH', 'GmbH & Co. KG', 'AG', 'S.L.', 'Ges.m.b.H.', 'B.V.', 'Sp. z o.o.'];

const SCHEDULES: ReadonlyArray<[string, number, string[]]> = [
  ['Full-time, 40 hours without time tracking, (mon,tue,wed,thu,fri)', 40, ['08:00', '08:00', '08:00', '08:00', '08:00', '00:00', '00:00']],
  ['Full-time, 38.5 hours (mon,tue,wed,thu,fri)', 38.5, ['07:42', '07:42', '07:42', '07:42', '07:42', '00:00', '00:00']],
  ['Part-time, 32 hours (mon,tue,wed,thu)', 32, ['08:00', '08:00', '08:00', '08:00', '00:00', '00:00', '00:00']],
  ['Part-time, 20 hours (mon,tue,wed,thu,fri)', 20, ['04:00', '04:00', '04:00', '04:00', '04:00', '00:00', '00:00']],
  ['Part-time, 30 hours (mon,tue,wed)', 30, ['10:00', '10:00', '10:00', '00:00', '00:00', '00:00', '00:00']],
];

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function entity(type: string, id: number, name: string, extra: Record<string, unknown> = {}): OrgEntity {
  return { id, name, json: Buffer.from(JSON.stringify({ type, attributes: { id, name, ...extra } })) };
}

/** Org structure scaled to the head count, so a 10-person start-up does not get 400 teams. */
export function generateCompany(employees: number, rng: Rng): Company {
  const subCount = employees < 50 ? 2 : employees < 1000 ? 3 : employees < 20000 ? 4 : 6;
  const officeCount = Math.min(OFFICES.length, Math.max(3, Math.ceil(employees / 250)));
  const deptCount = Math.min(DEPARTMENTS.length, Math.max(5, Math.ceil(Math.sqrt(employees) / 2)));
  const teamCount = Math.max(deptCount, Math.min(3000, Math.ceil(employees / 12)));
  const ccCount = Math.max(4, Math.min(200, Math.ceil(employees / 150)));
  const base = rng.int(1000, 9000);

  const subcompanies = Array.from({ length: subCount }, (_, i) =>
    entity(
      'Subcompany',
      base + i * 7 + 1,
      `Nordlicht ${['Deutschland', 'Österreich', 'España', 'Schweiz', 'Polska', 'Nederland'][i]} ${SUBCOMPANY_SUFFIXES[i]}`,
    ),
  );
  const holidayCalendars = CALENDARS.map(([name, country, state], i) => entity('HolidayCalendar', i + 1, name, { country, state }));
  const offices = OFFICES.slice(0, officeCount).map(([name], i) => entity('Office', 130_000 + base + i * 13, name));
  const officeCalendar = OFFICES.slice(0, officeCount).map(([, cal]) => cal);
  const departments = DEPARTMENTS.slice(0, deptCount).map((name, i) => entity('Department', 280_000 + base + i * 11, name));
  const teamDepartment: number[] = [];
  const teams = Array.from({ length: teamCount }, (_, i) => {
    const dept = i < deptCount ? i : rng.index(deptCount);
    teamDepartment.push(dept);
    return entity('Team', 59_000 + base + i * 3, `${DEPARTMENTS[dept]} ${teamName(i)}`);
  });
  const costCenters = Array.from({ length: ccCount }, (_, i) =>
    entity('CostCenter', 82_000 + base + i * 5, `KST ${4100 + i * 10} ${DEPARTMENTS[i % deptCount]}`),
  );
  const workSchedules = SCHEDULES.map(([name, hours, times], i) => {
    const attrs: Record<string, unknown> = { id: 97_000 + i * 17, name, valid_from: null };
    DAYS.forEach((d, j) => (attrs[d] = times[j]));
    return { id: attrs.id as number, name, weeklyHours: hours, json: Buffer.from(JSON.stringify({ type: 'WorkSchedule', attributes: attrs })) };
  });
  const entitlements = new Map<number, Buffer>();
  return {
    name: 'Nordlicht Gruppe',
    domain: 'nordlicht.example',
    subcompanies,
    offices,
    departments,
    teams,
    teamDepartment,
    costCenters,
    holidayCalendars,
    officeCalendar,
    workSchedules,
    timeOffTypeJson: (entitlement) => {
      let s = entitlements.get(entitlement);
      if (s === undefined) {
        s = Buffer.from(JSON.stringify([{ type: 'TimeOffType', attributes: { id: 113_437, name: 'Paid vacation', category: 'paid_vacation', entitlement } }]));
        entitlements.set(entitlement, s);
      }
      return s;
    },
  };
}

const TEAM_WORDS = ['Alpha', 'Nord', 'Süd', 'Ost', 'West', 'Blau', 'Grün', 'Core', 'Platform', 'Growth', 'Élan', 'Fjord'];

function teamName(i: number): string {
  const word = TEAM_WORDS[i % TEAM_WORDS.length];
  const round = Math.floor(i / TEAM_WORDS.length);
  return round === 0 ? word : `${word} ${round + 1}`;
}

export const POSITIONS: Record<string, readonly string[]> = {
  default: ['Specialist', 'Senior Specialist', 'Team Lead', 'Manager', 'Working Student', 'Werkstudent:in', 'Praktikant:in'],
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'QA Engineer'],
  Sales: ['Account Executive', 'Sales Development Representative', 'Head of Sales', 'Key Account Manager'],
  'Customer Support': ['Support Agent', 'Support Lead', 'Technical Support Engineer'],
  Marketing: ['Online Marketing Specialist', 'Content Manager', 'Head of Marketing'],
};
