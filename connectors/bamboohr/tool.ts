// What the gateway advertises about the BambooHR connector: the unified models
// and fields it fills, what it writes, and its passthrough API.
import type { ToolInfo } from '../connector';
import { employeeCoverageFields, hrisReadCoverage } from '../coverage';

const EMPLOYEE_FIELDS = employeeCoverageFields(['tax_id', 'remote_created_at', 'legal_entity_id', 'bank_accounts']);

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
