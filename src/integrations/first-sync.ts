// Creating a connected integration outside the connect page (CLI, demo, tests,
// benchmarks): the integration and its first full sync commit together.
import type { DataSource } from 'typeorm';
import { inputInvalid } from '../common/errors';
import { assertPublicUrl } from '../common/ssrf';
import type { GatewayConfig } from '../config/config';
import { rowsOf } from '../database/rows';
import { SyncRunsRepository } from '../sync/sync-runs.repository';
import { ConnectorRegistry, registeredConnectors } from './connector-registry';
import { IntegrationsService } from './integrations.service';
import { createVault } from './vault';

export interface CreateIntegrationOptions {
  environment: string;
  tool: string;
  credentials: Record<string, unknown>;
  baseUrl?: string | null;
  organization: string;
  email?: string | null;
  originId?: string | null;
}

/** Creates a connected integration and queues its first full sync. `connectors` defaults to the registry's. */
export async function createIntegrationWithFirstSync(
  ds: DataSource,
  config: GatewayConfig,
  opts: CreateIntegrationOptions,
  connectors: ConnectorRegistry = new ConnectorRegistry(registeredConnectors()),
) {
  const connector = connectors.find(opts.tool);
  if (!connector) throw inputInvalid(`Unknown tool "${opts.tool}". Available tools: ${connectors.ids().join(', ')}.`);
  const checked = connector.credentials.validate(opts.credentials);
  if (!checked.ok) throw inputInvalid(checked.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  if (opts.baseUrl) await assertPublicUrl(opts.baseUrl, { allowPrivate: config.allowPrivateNetworkTargets, protocols: ['https:', 'http:'] }, '--base-url');
  const [env] = rowsOf<{ id: string }>(await ds.query(`SELECT id FROM environments WHERE id = $1 OR name = $1 LIMIT 1`, [opts.environment]));
  if (!env) throw inputInvalid(`No environment "${opts.environment}".`);
  const integrations = new IntegrationsService(ds, createVault(config), config, connectors);
  const runs = new SyncRunsRepository(ds);
  return ds.transaction(async (em) => {
    const integration = await integrations.create(
      {
        environmentId: env.id,
        tool: opts.tool,
        credentials: checked.value as Record<string, unknown>,
        baseUrl: opts.baseUrl ?? null,
        endUserOrganizationName: opts.organization,
        endUserEmail: opts.email ?? null,
        endUserOriginId: opts.originId ?? null,
      },
      em,
    );
    const { run } = await runs.enqueue(integration.id, { type: 'FULL', trigger: 'FIRST_SYNC' }, em);
    return { integration, syncId: run.id };
  });
}
