// The integration's lifecycle: the one place that changes an integration's state
// (status, status reason, setup status) and tells the LMS about it. The change and
// its `integration-state-changed` event commit in the caller's transaction, so a
// state the LMS hears of is a state that was stored, and the reverse.
import type { EntityManager } from 'typeorm';
import { enqueueEvent } from '../webhooks/outbox';
import type { IntegrationEntity, IntegrationStatus, SetupStatus } from './integration.entity';

type EndUserFields = Pick<IntegrationEntity, 'endUserOrganizationName' | 'endUserEmail' | 'endUserOriginId'>;

/** Kombo's `end_user` object of webhook payloads and API answers (an integration's or a connect link's). */
export function endUserOf(u: EndUserFields) {
  return { organization_name: u.endUserOrganizationName, creator_email: u.endUserEmail, origin_id: u.endUserOriginId };
}

export type IntegrationState = Pick<IntegrationEntity, 'id' | 'tool' | 'category' | 'status' | 'setupStatus'> & EndUserFields;

/**
 * Kombo's IntegrationStateChangedWebhookPayload for the state `i` is in. We run no QA
 * step, so an integration whose setup completed counts as PASSED, any other as PENDING.
 */
export function integrationStateChangedData(i: IntegrationState, updatedAt: Date) {
  return {
    integration_tool: i.tool,
    integration_id: i.id,
    integration_category: i.category,
    end_user: endUserOf(i),
    qa_status: i.setupStatus === 'COMPLETED' ? 'PASSED' : 'PENDING',
    setup_status: i.setupStatus,
    state: i.status,
    updated_at: updatedAt.toISOString(),
  };
}

/** What a transition may change; fields left out keep their value. */
export interface IntegrationChange {
  status?: IntegrationStatus;
  statusReason?: string | null;
  setupStatus?: SetupStatus;
  firstSyncCompletedAt?: Date | null;
}

/**
 * Applies `change` to `integration` (in place, so the caller goes on with the new
 * state) and stores it when any field differs, in the caller's transaction; when the
 * status or setup status moved it also enqueues `integration-state-changed`. Returns
 * whether they moved; a change that alters nothing writes nothing and sends nothing.
 */
export async function transition(em: EntityManager, integration: IntegrationEntity, change: IntegrationChange, at = new Date()): Promise<boolean> {
  const before = { status: integration.status, setupStatus: integration.setupStatus };
  const differs = (Object.keys(change) as (keyof IntegrationChange)[]).some((k) => !sameValue(integration[k], change[k]));
  Object.assign(integration, change);
  if (!differs) return false;
  integration.updatedAt = at;
  await em.query(`UPDATE integrations SET status = $2, status_reason = $3, setup_status = $4, first_sync_completed_at = $5, updated_at = $6 WHERE id = $1`, [
    integration.id,
    integration.status,
    integration.statusReason,
    integration.setupStatus,
    integration.firstSyncCompletedAt,
    at,
  ]);
  if (before.status === integration.status && before.setupStatus === integration.setupStatus) return false;
  await enqueueEvent(em, {
    environmentId: integration.environmentId,
    integrationId: integration.id,
    type: 'integration-state-changed',
    data: integrationStateChangedData(integration, at),
  });
  return true;
}

const sameValue = (a: unknown, b: unknown): boolean => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);
