import { ConnectorContext, ConnectorLogger, ConnectorStats } from '../../connectors/connector';
import { upstreamErrors, upstreamRateLimited, upstreamRequests } from '../metrics/metrics';
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
  // The tool's own settings; `baseUrl` among them is its default API origin.
  const settings = config.toolSettings[integration.tool] ?? {};
  return {
    credentials,
    baseUrl: integration.baseUrl ?? settings.baseUrl ?? undefined,
    logger: opts.logger ?? getLogger('connector').child({ integration_id: integration.id, tool: integration.tool }),
    signal: opts.signal ?? new AbortController().signal,
    now: opts.now ?? (() => new Date()),
    settings,
    stats: upstreamStats,
  };
}

/** Feeds every connector's request, 429 and error hooks into the Prometheus metrics. */
const upstreamStats: ConnectorStats = {
  requestMade: (e) => upstreamRequests.inc({ tool: e.tool, endpoint: e.endpoint, status: String(e.status ?? 0) }),
  rateLimited: (e) => upstreamRateLimited.inc({ tool: e.tool, endpoint: e.endpoint }),
  error: (e) => upstreamErrors.inc({ tool: e.tool, kind: e.kind }),
};
