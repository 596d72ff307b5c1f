import type { UnifiedEmploymentStatus, UnifiedEmploymentType } from '../../connectors/unified';

/**
 * Human words for the filter values that are enums, in the languages of the connect
 * page (the dashboard uses English). Legal entities, locations and groups have names.
 */
export interface FilterValueLabels {
  statuses: Record<UnifiedEmploymentStatus, string>;
  employment_types: Record<UnifiedEmploymentType, string>;
}

export const FILTER_VALUE_LABELS: Record<'en' | 'de', FilterValueLabels> = {
  en: {
    statuses: { ACTIVE: 'Active', PENDING: 'Not started yet', INACTIVE: 'Inactive (left)', LEAVE: 'On leave' },
    employment_types: {
      FULL_TIME: 'Full-time',
      PART_TIME: 'Part-time',
      CONTRACT: 'Contractor',
      INTERNSHIP: 'Intern',
      FREELANCE: 'Freelancer',
      WORKING_STUDENT: 'Working student',
      APPRENTICESHIP: 'Apprentice',
      TRAINING: 'Trainee',
    },
  },
  de: {
    statuses: { ACTIVE: 'Aktiv', PENDING: 'Noch nicht begonnen', INACTIVE: 'Inaktiv (ausgeschieden)', LEAVE: 'Beurlaubt' },
    employment_types: {
      FULL_TIME: 'Vollzeit',
      PART_TIME: 'Teilzeit',
      CONTRACT: 'Auftragnehmer:in',
      INTERNSHIP: 'Praktikum',
      FREELANCE: 'Freiberuflich',
      WORKING_STUDENT: 'Werkstudent:in',
      APPRENTICESHIP: 'Ausbildung',
      TRAINING: 'Trainee',
    },
  },
};

/** The label of an enum filter value, or the value itself when the HR system sent one we do not know. */
export function filterValueLabel(lang: 'en' | 'de', dimension: 'statuses' | 'employment_types', value: string): string {
  return (FILTER_VALUE_LABELS[lang][dimension] as Record<string, string>)[value] ?? value;
}
