// Kombo's payloads for the webhook events the sync engine emits
// (kombo-openapi.json: SyncFinishedWebhookPayload; integration-state-changed is integrations/lifecycle.ts's).
import type { IntegrationEntity } from '../integrations/integration.entity';
import { endUserOf } from '../integrations/lifecycle';
import type { SyncRunRow } from './sync-runs.repository';

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
    end_user: endUserOf(i),
    log_url: `${publicUrl}/v1/integrations/${encodeURIComponent(i.id)}/syncs/${run.id}`,
    // Our extension, only on runs that left records out (sync_state PARTIALLY_FAILED).
    ...(run.skipped?.length ? { skipped_records: run.skipped } : {}),
  };
}
