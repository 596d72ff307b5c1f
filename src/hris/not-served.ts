/**
 * Kombo's operations this gateway has no data or action for (kombo-openapi.json:
 * every HRIS, ATS and assessment path besides the ones served, and the setup link).
 * They exist as routes so Kombo's clients get what Kombo answers when a tool lacks a
 * model or action — INTEGRATION.MODEL_NOT_AVAILABLE / ACTION_NOT_AVAILABLE, after the
 * API key and the integration were checked — instead of an unknown-route 404 their
 * SDK cannot parse. Paths are relative to /v1.
 */
export const NOT_SERVED_MODELS = [
  'hris/absence-types',
  'hris/time-off-balances',
  'hris/absences',
  'hris/timesheets',
  'hris/performance-review-cycles',
  'hris/performance-reviews',
  'hris/skills',
  'hris/employee-skill-assignments',
  'hris/staffing-entities',
  'ats/applications',
  'ats/applications/:application_id/attachments',
  'ats/candidates',
  'ats/candidates/:candidate_id/attachments',
  'ats/tags',
  'ats/application-stages',
  'ats/jobs',
  'ats/users',
  'ats/roles',
  'ats/offers',
  'ats/rejection-reasons',
  'ats/interviews',
  'assessment/packages',
  'assessment/orders',
  'assessment/orders/open',
];

/** Writes, and the GETs that describe a write (the employee form, ATS action metadata). */
export const NOT_SERVED_ACTIONS = {
  GET: [
    'hris/employees/form',
    'ats/actions/ats_create_candidate',
    'ats/actions/ats_create_application',
    'ats/actions/ats_add_application_attachment',
    'ats/actions/ats_add_candidate_attachment',
  ],
  POST: [
    'hris/provisioning-groups/:group_id/diff',
    'hris/provisioning-groups/:group_id/setup-links',
    'hris/employees',
    'hris/employees/form',
    'hris/absences',
    'hris/skills',
    'hris/employee-skill-assignments',
    'ats/applications/:application_id/result-links',
    'ats/applications/:application_id/notes',
    'ats/applications/:application_id/attachments',
    'ats/applications/:application_id/reject',
    'ats/applications/:application_id/interviews',
    'ats/candidates',
    'ats/candidates/:candidate_id/attachments',
    'ats/candidates/:candidate_id/result-links',
    'ats/candidates/:candidate_id/tags',
    'ats/jobs/:job_id/applications',
    'ats/import-tracked-application',
    // The connect page is the whole setup flow; there are no further setup steps to link to.
    'integrations/:integration_id/setup-link',
  ],
  PUT: ['ats/applications/:application_id/stage', 'assessment/packages', 'assessment/orders/:assessment_order_id/result'],
  PATCH: [
    'hris/employees/:employee_id',
    'hris/skills/:skill_id',
    'hris/employee-skill-assignments/:employee_skill_assignment_id',
    'ats/applications/:application_id/interviews',
  ],
  DELETE: [
    'hris/absences/:absence_id',
    'hris/skills/:skill_id',
    'hris/employee-skill-assignments/:employee_skill_assignment_id',
    'ats/candidates/:candidate_id/tags',
  ],
};

/** `/v1/hris/absence-types` → `hris_absence_types`, Kombo's model id (as in GET /tools coverage). */
export function modelIdOf(routePath: string): string {
  return routePath
    .replace(/^\/?v1\//, '')
    .split('/')
    .filter((s) => s && !s.startsWith(':'))
    .join('_')
    .replace(/-/g, '_');
}
