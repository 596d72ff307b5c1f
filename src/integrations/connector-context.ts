import { ConnectorContext, ConnectorLogger, ConnectorStats } from '../../connectors/connector';
import { upstreamErrors, upstreamRateLimited, upstreamRequests } from '../metrics/metrics';
import { getConnector } from '../../connectors/registry';
import { GatewayConfig } from '../config/config';
import { getLogger } from '../common/logger';
import { IntegrationEntity } from './integration.entity';

/**
 * The context a connector call runs in for one integration: decrypted credentials,
 * the API origin (the integration's own, else the tool's configured default), a
 * logger tagged with the integration, the abort signal and the clock.
 */
export function connectorContextFor<C = unknown>(
  integration: Pick<IntegrationEntity, 'id' | 'tool' | 'baseUrl'>,
  credentials: C,
  config: GatewayConfig,
  opts: { signal?: AbortSignal; logger?: ConnectorLogger; now?: () => Date } = {},
): ConnectorContext<C> {
  return {
    credentials,
    baseUrl: integration.baseUrl ?? defaultBaseUrl(integration.tool, config) ?? undefined,
    logger: opts.logger ?? getLogger('connector').child({ integration_id: integration.id, tool: integration.tool }),
    signal: opts.signal ?? new AbortController().signal,
    now: opts.now ?? (() => new Date()),
    settings: { partnerId: config.personioPartnerId ?? undefined, appId: config.personioAppId ?? undefined },
    stats: upstreamStats,
  };
}

/** Feeds every connector's request, 429 and error hooks into the Prometheus metrics. */
const upstreamStats: ConnectorStats = {
  requestMade: (e) => upstreamRequests.inc({ tool: e.tool, endpoint: e.endpoint, status: String(e.status ?? 0) }),
  rateLimited: (e) => upstreamRateLimited.inc({ tool: e.tool, endpoint: e.endpoint }),
  error: (e) => upstreamErrors.inc({ tool: e.tool, kind: e.kind }),
};

function defaultBaseUrl(tool: string, config: GatewayConfig): string | null {
  return tool === 'personio' ? config.personioBaseUrl : null;
}

export function connectorFor(tool: string) {
  const connector = getConnector(tool);
  if (!connector) throw new Error(`No connector registered for tool "${tool}"`);
  return connector;
}
