// Value builders for generated people and their history rows (split out of generator.ts).
import { Rng } from '../../sandbox-kit/random';
import { DIVISIONS, OFFICES, PAY_SCHEDULES, REHIRE, TERMINATION_REASONS, TERMINATION_TYPES } from './company';

/** Home country by office: addresses of generated people follow their office. */
export const COUNTRY_BY_OFFICE: Record<string, string> = {
  Munich: 'Germany',
  Berlin: 'Germany',
  Vienna: 'Austria',
  Zürich: 'Switzerland',
  Stockholm: 'Sweden',
  Madrid: 'Spain',
  'Salt Lake City': 'United States',
  Remote: 'Germany',
};
export const NATIONALITIES = ['German', 'Austrian', 'Swiss', 'Spanish', 'Swedish', 'Turkish', 'Polish', 'French', 'American'];

export function divisionOf(office: string): string {
  return OFFICES.find((o) => o.label === office)?.division ?? DIVISIONS[0];
}

export function statusValues(date: string, employmentStatus: string, comment: string | null): Record<string, unknown> {
  return {
    date,
    employmentStatus,
    comment,
    terminationReasonId: null,
    terminationTypeId: null,
    terminationRehireId: null,
    terminationRegrettableId: null,
  };
}

export function terminated(rng: Rng, date: string): Record<string, unknown> {
  return {
    date,
    employmentStatus: 'Terminated',
    comment: null,
    terminationReasonId: rng.pick(TERMINATION_REASONS),
    terminationTypeId: rng.pick(TERMINATION_TYPES),
    terminationRehireId: rng.pick(REHIRE),
    terminationRegrettableId: rng.pick(['Regrettable', 'Non-regrettable']),
  };
}

export function compValues(rng: Rng, startDate: string, type: string, previous: Record<string, unknown> | null = null): Record<string, unknown> {
  const hourly = type === 'Contractor' || type === 'Intern';
  const prev = previous ? Number((previous.rate as { value: string }).value) : 0;
  const value = prev > 0 ? prev * (1 + rng.int(2, 8) / 100) : hourly ? rng.int(15, 90) : rng.int(30, 120) * 1000;
  return {
    startDate,
    rate: { value: value.toFixed(2), currency: 'EUR' },
    type: hourly ? 'Hourly' : 'Salary',
    exempt: hourly ? 'Non-exempt' : 'Exempt',
    reason: previous ? 'Merit' : 'New Hire',
    comment: null,
    paidPer: hourly ? 'Hour' : 'Year',
    paySchedule: rng.pick(PAY_SCHEDULES),
  };
}
