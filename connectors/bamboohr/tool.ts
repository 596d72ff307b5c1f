// What the gateway advertises about the BambooHR connector: the unified models
// and fields it fills, what it writes, and its passthrough API.
import type { ToolInfo } from '../connector';
import { hrisReadCoverage } from '../coverage';

const EMPLOYEE_FIELDS = [
  'employee_number',
  'first_name',
  'last_name',
  'display_full_name',
  'nationality',
  'job_title',
  'work_email',
  'personal_email',
  'mobile_phone_number',
  'ssn',
  'gender',
  'ethnicity',
  'marital_status',
  'employment_status',
  'employment_type',
  'weekly_hours',
  'avatar',
  'date_of_birth',
  'start_date',
  'termination_date',
  'manager_id',
  'work_location_id',
  'groups',
  'home_address',
  'custom_fields',
  'remote_data',
];

export const bamboohrTool: ToolInfo = {
  id: 'bamboohr',
  label: 'BambooHR',
  logoUrl: 'https://www.bamboohr.com/favicon.ico',
  coverage: {
    // BambooHR's public API has no legal entity (NOTES §13.5).
    read: hrisReadCoverage(EMPLOYEE_FIELDS, { without: ['legal_entities'] }),
    write: { employee_documents: true, trainings: true },
    passthrough: ['bamboohr/v1'],
  },
};
