import { EntityManager } from 'typeorm';
import { enqueueEvent } from '../webhooks/outbox';
import type { IntegrationEntity } from '../integrations/integration.entity';
import type { ConnectLink } from './connect-links.store';

/** Kombo's `end_user` object of webhook payloads. */
function endUser(u: { endUserOrganizationName: string; endUserEmail: string | null; endUserOriginId: string | null }) {
  return { organization_name: u.endUserOrganizationName, creator_email: u.endUserEmail, origin_id: u.endUserOriginId };
}

export function integrationCreated(em: EntityManager, integration: IntegrationEntity): Promise<string> {
  return enqueueEvent(em, {
    environmentId: integration.environmentId,
    integrationId: integration.id,
    type: 'integration-created',
    data: { id: integration.id, tool: integration.tool, category: integration.category, end_user: endUser(integration) },
  });
}

/** Sent for every failed "Test connection": like Kombo's, informational, the flow can still succeed. */
export function connectionFlowFailed(em: EntityManager, link: ConnectLink, logUrl: string): Promise<string> {
  return enqueueEvent(em, {
    environmentId: link.environmentId,
    integrationId: link.relinkIntegrationId,
    type: 'connection-flow-failed',
    data: { integration_tool: link.tool, integration_category: link.category, end_user: endUser(link), log_url: logUrl },
  });
}

/** A relink that cleared INVALID. */
export function integrationStateChanged(em: EntityManager, integration: IntegrationEntity, state: IntegrationEntity['status'], updatedAt: Date): Promise<string> {
  return enqueueEvent(em, {
    environmentId: integration.environmentId,
    integrationId: integration.id,
    type: 'integration-state-changed',
    data: {
      integration_tool: integration.tool,
      integration_id: integration.id,
      integration_category: integration.category,
      end_user: endUser(integration),
      qa_status: 'PASSED',
      setup_status: integration.setupStatus,
      state,
      updated_at: updatedAt.toISOString(),
    },
  });
}
