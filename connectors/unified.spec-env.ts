// Spec-only (left out of the build like every *.spec-env.ts).
// One owner for the unified employee that tests build: every field empty, in the
// interface's order (a spread keeps that order, so hashes of the rows stay as they were).
import type { UnifiedEmployee } from './unified';

/** A UnifiedEmployee that holds nothing but its remote id; `extra` sets the fields a test cares about. */
export function bareEmployee(remote_id: string, extra: Partial<UnifiedEmployee> = {}): UnifiedEmployee {
  return {
    remote_id,
    employee_number: null,
    first_name: null,
    last_name: null,
    display_full_name: null,
    nationality: null,
    job_title: null,
    work_email: null,
    personal_email: null,
    mobile_phone_number: null,
    ssn: null,
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    employment_status: null,
    employment_type: null,
    weekly_hours: null,
    avatar: null,
    date_of_birth: null,
    start_date: null,
    termination_date: null,
    remote_created_at: null,
    manager_remote_id: null,
    legal_entity_remote_id: null,
    work_location_remote_id: null,
    group_remote_ids: [],
    home_address: null,
    bank_accounts: null,
    custom_fields: {},
    remote_fields: {},
    remote_data: {},
    ...extra,
  };
}
