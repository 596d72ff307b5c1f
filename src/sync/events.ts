// Kombo's payloads for the webhook events the sync engine emits
// (kombo-openapi.json: SyncFinishedWebhookPayload, IntegrationStateChangedWebhookPayload).
import type { IntegrationEntity } from '../integrations/integration.entity';
import type { SyncRunRow } from './sync-runs.repository';

function endUser(i: IntegrationEntity) {
  return { organization_name: i.endUserOrganizationName, creator_email: i.endUserEmail, origin_id: i.endUserOriginId };
}

export function syncFinishedData(i: IntegrationEntity, run: SyncRunRow, publicUrl: string) {
  const started = run.started_at ?? run.queued_at;
  const ended = run.finished_at ?? new Date();
  return {
    sync_id: run.id,
    sync_state: run.status,
    sync_started_at: new Date(started).toISOString(),
    sync_ended_at: new Date(ended).toISOString(),
    sync_duration_seconds: Math.max(0, Math.round((new Date(ended).getTime() - new Date(started).getTime()) / 1000)),
    integration_id: i.id,
    integration_tool: i.tool,
    integration_category: i.category,
    end_user: endUser(i),
    log_url: `${publicUrl}/v1/integrations/${encodeURIComponent(i.id)}/syncs/${run.id}`,
    // Our extension, only on runs that left records out (sync_state PARTIALLY_FAILED).
    ...(run.skipped?.length ? { skipped_records: run.skipped } : {}),
  };
}

/** `i` must already carry the new status/setup status. We run no QA step, so a completed setup counts as PASSED. */
export function integrationStateChangedData(i: IntegrationEntity) {
  return {
    integration_tool: i.tool,
    integration_id: i.id,
    integration_category: i.category,
    end_user: endUser(i),
    qa_status: i.setupStatus === 'COMPLETED' ? 'PASSED' : 'PENDING',
    setup_status: i.setupStatus,
    state: i.status,
    updated_at: new Date().toISOString(),
  };
}
