// How the fake HRIS's people become unified records (hidden attributes read as null).
import type { UnifiedBatch, UnifiedEmployee, UnifiedEmployment } from '../../../connectors/unified';
import { bareEmployee } from '../../../connectors/unified.spec-env';
import type { FakePerson } from './types';

function employee(p: FakePerson, hidden: Set<string>): UnifiedEmployee {
  const email = hidden.has('email') ? null : p.email;
  const team = hidden.has('team') ? null : p.team;
  return bareEmployee(p.id, {
    employee_number: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    display_full_name: `${p.firstName} ${p.lastName}`,
    work_email: email,
    employment_status: 'ACTIVE',
    employment_type: 'FULL_TIME',
    weekly_hours: 40,
    start_date: '2020-01-01',
    group_remote_ids: team ? [`team:${team}`] : [],
    custom_fields: { x_shirt_size: p.shirtSize },
    remote_fields: { first_name: p.firstName, last_name: p.lastName, email, team, x_shirt_size: p.shirtSize },
    remote_data: { '/people': { id: p.id, first: p.firstName, last: p.lastName, email, team, x_shirt_size: p.shirtSize } },
  });
}

function employment(p: FakePerson): UnifiedEmployment {
  return {
    remote_id: `emp-${p.id}`,
    employee_remote_id: p.id,
    job_title: null,
    pay_rate: null,
    pay_period: null,
    pay_frequency: null,
    employment_type: 'FULL_TIME',
    pay_currency: null,
    effective_date: '2020-01-01',
    custom_fields: {},
    remote_fields: {},
    remote_data: {},
  };
}

export function batch(people: FakePerson[], hidden: Set<string>, teams: Set<string>): UnifiedBatch {
  const groups = [...new Set(people.map((p) => p.team))].filter((t) => !hidden.has('team') && !teams.has(t));
  for (const g of groups) teams.add(g);
  return {
    employees: people.map((p) => employee(p, hidden)),
    employments: people.map(employment),
    groups: groups.map((g) => ({ remote_id: `team:${g}`, name: g, type: 'TEAM', parent_remote_id: null, remote_data: {} })),
    legal_entities: [],
    locations: [],
  };
}
