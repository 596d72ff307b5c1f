import type { MissingItem } from '../../connectors/connector';

/** What the last "Test connection" found; stored on the link so a reload shows it again. Never holds a secret. */
export interface CheckSummary {
  ok: boolean;
  /** The non-secret credential values that were tested (`CredentialField.key` → value), shown back in the form. */
  values: Record<string, string>;
  error?: { kind: 'AUTH' | 'PERMISSION' | 'UNREACHABLE' | 'INPUT'; message: string };
  /** Blocking: the sync would deliver empty fields without them. */
  missing: MissingItem[];
  /** Not blocking: document permissions (needed only when certificates are pushed back). */
  warnings: MissingItem[];
  checkedAt: string;
}

export interface FilterOption {
  id: string;
  name: string;
}

/** Values read live from the customer's HRIS for the filter step (bounded read). */
export interface FilterOptions {
  legal_entities: FilterOption[];
  locations: FilterOption[];
  departments: FilterOption[];
  statuses: FilterOption[];
  employment_types: FilterOption[];
  /** The read stopped early (large company): other values may exist. */
  truncated: boolean;
}

export type FilterDimension = Exclude<keyof FilterOptions, 'truncated'>;
export const FILTER_DIMENSIONS: FilterDimension[] = ['legal_entities', 'locations', 'departments', 'statuses', 'employment_types'];

export interface FlowFailure {
  at: string;
  kind: 'AUTH' | 'PERMISSION' | 'UNREACHABLE' | 'MISSING' | 'RATE_LIMITED' | 'INPUT';
  message: string;
  missing?: string[];
}
