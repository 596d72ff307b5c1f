// One call of every method of @kombo-api/sdk, with arguments its own input
// validation accepts, for the error-path test (test/kombo-sdk-errors.e2e-spec.ts).
import type { Kombo } from '@kombo-api/sdk';

export interface SdkCall {
  run: (k: Kombo, integrationId: string) => Promise<unknown>;
  /** Sends X-Integration-Id (the SDK's integration_id option) rather than the id in the path. */
  header?: boolean;
  /** Needs no integration at all. */
  unscoped?: boolean;
  /** The code it answers because the gateway does not serve it. */
  notServed?: 'INTEGRATION.MODEL_NOT_AVAILABLE' | 'INTEGRATION.ACTION_NOT_AVAILABLE' | 'PLATFORM.INPUT_INVALID';
}

const MODEL = 'INTEGRATION.MODEL_NOT_AVAILABLE' as const;
const ACTION = 'INTEGRATION.ACTION_NOT_AVAILABLE' as const;
const ID = '111111111111111111111111';
const model = (run: SdkCall['run']): SdkCall => ({ run, header: true, notServed: MODEL });
const action = (run: SdkCall['run']): SdkCall => ({ run, header: true, notServed: ACTION });
const served = (run: SdkCall['run']): SdkCall => ({ run, header: true });
const attachment = { name: 'cv.pdf', content_type: 'application/pdf', data: 'JVBERi0=' };

export const SDK_CALLS: Record<string, SdkCall> = {
  'general.checkApiKey': { run: (k) => k.general.checkApiKey(), unscoped: true },
  'general.triggerSync': served((k) => k.general.triggerSync({ type: 'DELTA' })),
  'general.sendPassthroughRequest': served((k) =>
    k.general.sendPassthroughRequest({ tool: 'personio', api: 'personnel', body: { method: 'GET', path: '/company/employees', params: { limit: '1' } } }),
  ),
  'general.deleteIntegration': { run: (k, id) => k.general.deleteIntegration({ integration_id: id, body: {} }) },
  'general.getIntegrationDetails': { run: (k, id) => k.general.getIntegrationDetails({ integration_id: id }) },
  'general.setIntegrationEnabled': { run: (k, id) => k.general.setIntegrationEnabled({ integration_id: id, body: { value: true } }) },
  'general.createReconnectionLink': { run: (k, id) => k.general.createReconnectionLink({ integration_id: id, body: {} }) },
  'general.createSetupLink': {
    run: (k, id) => k.general.createSetupLink({ integration_id: id, body: { link_type: 'EMBEDDED' } }),
    notServed: 'PLATFORM.INPUT_INVALID',
  },
  'general.getIntegrationFields': { run: (k, id) => k.general.getIntegrationFields({ integration_id: id }) },
  'general.updateIntegrationField': {
    run: (k, id) => k.general.updateIntegrationField({ integration_id: id, integration_field_id: ID, body: { enable_passthrough: true } }),
  },
  'general.getCustomFields': { run: (k, id) => k.general.getCustomFields({ integration_id: id }) },
  'general.updateCustomFieldMapping': {
    run: (k, id) => k.general.updateCustomFieldMapping({ integration_id: id, custom_field_id: ID, body: { integration_field_id: null } }),
  },
  'general.getTools': { run: (k) => k.general.getTools({ category: 'hris' }), unscoped: true },

  'connect.createConnectionLink': {
    run: (k) => k.connect.createConnectionLink({ end_user_email: 'it@acme.example', end_user_organization_name: 'Acme' }),
    unscoped: true,
  },
  'connect.getIntegrationByToken': { run: (k) => k.connect.getIntegrationByToken({ token: 'hgat_unknown' }), unscoped: true },

  'hris.getEmployees': served((k) => k.hris.getEmployees()),
  'hris.getEmployeeForm': action((k) => k.hris.getEmployeeForm()),
  'hris.createEmployeeWithForm': action((k) => k.hris.createEmployeeWithForm({ properties: {} })),
  'hris.addEmployeeDocument': served((k) => k.hris.addEmployeeDocument({ employee_id: ID, body: { category_id: ID, document: attachment } })),
  'hris.getEmployeeDocumentCategories': served((k) => k.hris.getEmployeeDocumentCategories()),
  'hris.getGroups': served((k) => k.hris.getGroups()),
  'hris.getEmployments': served((k) => k.hris.getEmployments()),
  'hris.getLocations': served((k) => k.hris.getLocations()),
  'hris.getAbsenceTypes': model((k) => k.hris.getAbsenceTypes()),
  'hris.getTimeOffBalances': model((k) => k.hris.getTimeOffBalances()),
  'hris.getAbsences': model((k) => k.hris.getAbsences()),
  'hris.createAbsence': action((k) =>
    k.hris.createAbsence({ employee_id: ID, absence_type_id: ID, start_date: new Date('2026-01-05'), end_date: new Date('2026-01-06'), employee_note: null }),
  ),
  'hris.deleteAbsence': action((k) => k.hris.deleteAbsence({ absence_id: ID, body: {} })),
  'hris.getLegalEntities': served((k) => k.hris.getLegalEntities()),
  'hris.getTimesheets': model((k) => k.hris.getTimesheets()),
  'hris.getPerformanceReviewCycles': model((k) => k.hris.getPerformanceReviewCycles()),
  'hris.getPerformanceReviews': model((k) => k.hris.getPerformanceReviews()),
  'hris.getStaffingEntities': model((k) => k.hris.getStaffingEntities()),

  'ats.getApplications': model((k) => k.ats.getApplications()),
  'ats.moveApplicationToStage': action((k) => k.ats.moveApplicationToStage({ application_id: ID, body: { stage_id: ID } })),
  'ats.addApplicationResultLink': action((k) =>
    k.ats.addApplicationResultLink({ application_id: ID, body: { label: 'Result', url: 'https://lms.example/r/1' } }),
  ),
  'ats.addApplicationNote': action((k) => k.ats.addApplicationNote({ application_id: ID, body: { content: 'Note', content_type: 'PLAIN_TEXT' } })),
  'ats.getApplicationAttachments': model((k) => k.ats.getApplicationAttachments({ application_id: ID })),
  'ats.addApplicationAttachment': action((k) => k.ats.addApplicationAttachment({ application_id: ID, body: { attachment: { ...attachment, type: 'CV' } } })),
  'ats.rejectApplication': action((k) => k.ats.rejectApplication({ application_id: ID, body: { rejection_reason_id: ID } })),
  'ats.getCandidates': model((k) => k.ats.getCandidates()),
  'ats.createCandidate': action((k) =>
    k.ats.createCandidate({ candidate: { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.com' }, application: { job_id: ID } }),
  ),
  'ats.getCandidateAttachments': model((k) => k.ats.getCandidateAttachments({ candidate_id: ID })),
  'ats.addCandidateAttachment': action((k) => k.ats.addCandidateAttachment({ candidate_id: ID, body: { attachment: { ...attachment, type: 'CV' } } })),
  'ats.addCandidateResultLink': action((k) => k.ats.addCandidateResultLink({ candidate_id: ID, body: { label: 'Result', url: 'https://lms.example/r/1' } })),
  'ats.addCandidateTag': action((k) => k.ats.addCandidateTag({ candidate_id: ID, body: { tag: { name: 'lms' } } })),
  'ats.removeCandidateTag': action((k) => k.ats.removeCandidateTag({ candidate_id: ID, body: { tag: { name: 'lms' } } })),
  'ats.getTags': model((k) => k.ats.getTags()),
  'ats.getApplicationStages': model((k) => k.ats.getApplicationStages()),
  'ats.getJobs': model((k) => k.ats.getJobs()),
  'ats.createApplication': action((k) =>
    k.ats.createApplication({ job_id: ID, body: { candidate: { first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.com' } } }),
  ),
  'ats.getUsers': model((k) => k.ats.getUsers()),
  'ats.getRoles': model((k) => k.ats.getRoles()),
  'ats.getOffers': model((k) => k.ats.getOffers()),
  'ats.getRejectionReasons': model((k) => k.ats.getRejectionReasons()),
  'ats.getInterviews': model((k) => k.ats.getInterviews()),
  'ats.importTrackedApplication': action((k) =>
    k.ats.importTrackedApplication({ tracked_at: null, greenhouse: { id_type: 'application_id', application_id: '1' } }),
  ),

  'assessment.getPackages': model((k) => k.assessment.getPackages()),
  'assessment.setPackages': action((k) => k.assessment.setPackages({ packages: [] })),
  'assessment.getAssessmentOrders': model((k) => k.assessment.getAssessmentOrders()),
  'assessment.updateOrderResult': action((k) =>
    k.assessment.updateOrderResult({ assessment_order_id: ID, body: { status: 'COMPLETED', result_url: 'https://lms.example/r/1' } }),
  ),
};
