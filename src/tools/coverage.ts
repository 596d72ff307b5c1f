import type { HrisConnector, ToolInfo, UnifiedModel } from '../../connectors/connector';
import { employeeCoverageFields } from '../../connectors/coverage';
import { getMetadataStorage } from 'class-validator';
import { EMPLOYMENT_DATA_FIELDS } from '../records/models';
import { AddEmployeeTrainingDto } from '../trainings/trainings.dto';

/**
 * Kombo-style coverage of a tool, derived from the connector's declared
 * coverage: every Kombo HRIS read model, SUPPORTED when the connector reads it,
 * NOT_IMPLEMENTED when the model exists in Kombo's API but not in this gateway.
 */
export type CoverageStatus = 'SUPPORTED' | 'UNSUPPORTED' | 'NOT_IMPLEMENTED' | 'UNKNOWN';

interface KomboModel {
  id: string;
  label: string;
  unified?: UnifiedModel;
  fields: string[];
}

const KOMBO_READ_MODELS: KomboModel[] = [
  {
    id: 'hris_employees',
    label: 'Employees',
    unified: 'employees',
    fields: employeeCoverageFields(),
  },
  { id: 'hris_employments', label: 'Employments', unified: 'employments', fields: ['employee_id', ...EMPLOYMENT_DATA_FIELDS, 'remote_data'] },
  { id: 'hris_teams', label: 'Groups', unified: 'groups', fields: ['name', 'type', 'parent_id', 'remote_data'] },
  { id: 'hris_legal_entities', label: 'Legal entities', unified: 'legal_entities', fields: ['name', 'address', 'remote_data'] },
  { id: 'hris_locations', label: 'Work locations', unified: 'locations', fields: ['name', 'address', 'type', 'remote_data'] },
  { id: 'hris_employee_document_categories', label: 'Employee document categories', unified: 'employee_document_categories', fields: ['name', 'remote_data'] },
  { id: 'hris_absence_types', label: 'Absence types', fields: [] },
  { id: 'hris_absences', label: 'Absences', fields: [] },
  { id: 'hris_time_off_balances', label: 'Time off balances', fields: [] },
  { id: 'hris_timesheets', label: 'Timesheets', fields: [] },
];

export interface ReadModelCoverage {
  id: string;
  label: string;
  coverage_status: CoverageStatus;
  fields: Array<{ id: string; coverage_status: CoverageStatus }>;
}

export function readModelCoverage(tool: ToolInfo): ReadModelCoverage[] {
  return KOMBO_READ_MODELS.map((m) => {
    const c = m.unified ? tool.coverage.read[m.unified] : undefined;
    const status: CoverageStatus = c?.read ? 'SUPPORTED' : 'NOT_IMPLEMENTED';
    return {
      id: m.id,
      label: m.label,
      coverage_status: status,
      fields: m.fields.map((f) => ({
        id: f,
        coverage_status: (c?.read && c.fields.includes(f) ? 'SUPPORTED' : c?.read ? 'UNSUPPORTED' : 'NOT_IMPLEMENTED') as CoverageStatus,
      })),
    };
  });
}

const DOCUMENT_FIELDS = ['category_id', 'document.name', 'document.content_type', 'document.data', 'document.data_url'];

/** Our extension's action (POST /hris/employees/{id}/trainings); Kombo has no such action id. */
const TRAINING_ACTION_ID = 'hris_add_employee_training';
/** The fields of the training body, in declaration order: read from AddEmployeeTrainingDto's validation rules, so they cannot drift. */
const TRAINING_FIELDS = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(AddEmployeeTrainingDto, '', true, false)
      .map((m) => m.propertyName),
  ),
];

export function writeActionCoverage(tool: ToolInfo): ReadModelCoverage[] {
  const docs: CoverageStatus = tool.coverage.write.employee_documents ? 'SUPPORTED' : 'UNSUPPORTED';
  const trainings: CoverageStatus = tool.coverage.write.trainings ? 'SUPPORTED' : 'UNSUPPORTED';
  return [
    {
      id: 'hris_add_employee_document',
      label: 'Add document to employee',
      coverage_status: docs,
      fields: DOCUMENT_FIELDS.map((id) => ({ id, coverage_status: docs })),
    },
    // Listed among Kombo's actions (its schema takes any id), so clients already reading write_actions see it.
    {
      id: TRAINING_ACTION_ID,
      label: 'Add completed training to employee (extension)',
      coverage_status: trainings,
      fields: TRAINING_FIELDS.map((id) => ({ id, coverage_status: trainings })),
    },
    { id: 'hris_create_employee', label: 'Create employee', coverage_status: 'NOT_IMPLEMENTED', fields: [] },
    { id: 'hris_update_employee', label: 'Update employee', coverage_status: 'NOT_IMPLEMENTED', fields: [] },
    { id: 'hris_create_absence', label: 'Create absence', coverage_status: 'NOT_IMPLEMENTED', fields: [] },
  ];
}

/** `GET /tools/{category}` item. */
export function toolListing(connector: HrisConnector<unknown>) {
  const t = connector.tool;
  return {
    id: t.id,
    label: t.label,
    internal_label: null,
    assets: { logo_url: t.logoUrl, icon_url: t.logoUrl, icon_black_url: t.logoUrl },
    paid_api_details_markdown: null,
    fast_track_details_markdown: null,
    partner_only_details_markdown: null,
    connection_guide_url: null,
    coverage: {
      read_models: readModelCoverage(t),
      write_actions: writeActionCoverage(t),
      features: [
        { id: 'passthrough', label: 'Passthrough API', coverage_status: (t.coverage.passthrough.length ? 'SUPPORTED' : 'UNSUPPORTED') as CoverageStatus },
        { id: 'delta_sync', label: 'Delta syncs', coverage_status: 'SUPPORTED' as CoverageStatus },
      ],
    },
  };
}
