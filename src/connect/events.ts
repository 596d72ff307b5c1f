import { EntityManager } from 'typeorm';
import { enqueueEvent } from '../webhooks/outbox';
import type { IntegrationEntity } from '../integrations/integration.entity';
import { endUserOf } from '../integrations/lifecycle';
import type { ConnectLink } from './connect-links.store';

export function integrationCreated(em: EntityManager, integration: IntegrationEntity): Promise<string> {
  return enqueueEvent(em, {
    environmentId: integration.environmentId,
    integrationId: integration.id,
    type: 'integration-created',
    data: { id: integration.id, tool: integration.tool, category: integration.category, end_user: endUserOf(integration) },
  });
}

/** Sent for every failed "Test connection": like Kombo's, informational, the flow can still succeed. */
export function connectionFlowFailed(em: EntityManager, link: ConnectLink, logUrl: string): Promise<string> {
  return enqueueEvent(em, {
    environmentId: link.environmentId,
    integrationId: link.relinkIntegrationId,
    type: 'connection-flow-failed',
    data: { integration_tool: link.tool, integration_category: link.category, end_user: endUserOf(link), log_url: logUrl },
  });
}
