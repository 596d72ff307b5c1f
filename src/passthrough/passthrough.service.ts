import { Injectable } from '@nestjs/common';
import type { PassthroughResponse } from '../../connectors/connector';
import { GatewayError, inputInvalid } from '../common/errors';
import { getLogger } from '../common/logger';
import { connectorFor } from '../integrations/connector-context';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { PassthroughRequestDto } from './passthrough.dto';

/** Response headers that could carry a credential; connectors drop them too, this is the second line. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'set-cookie', 'www-authenticate']);

/**
 * Forwards a raw request to the integration's HRIS with the integration's
 * credentials (Kombo's `POST /passthrough/{tool}/{api}`). The credentials are
 * added by the connector; none of them can come back in the answer.
 */
@Injectable()
export class PassthroughService {
  private readonly log = getLogger('passthrough');

  constructor(
    private readonly integrations: IntegrationsService,
  ) {}

  async send(integration: IntegrationEntity, tool: string, api: string, req: PassthroughRequestDto): Promise<PassthroughResponse> {
    const connector = connectorFor(integration.tool);
    const name = `${tool}/${api}`;
    if (tool !== integration.tool) throw inputInvalid(`Invalid input: tool "${tool}" does not match the integration's tool "${integration.tool}".`);
    if (!connector.tool.coverage.passthrough.includes(name)) {
      throw new GatewayError('INTEGRATION.ACTION_NOT_AVAILABLE', `No passthrough API "${name}". Available: ${connector.tool.coverage.passthrough.join(', ') || 'none'}.`);
    }
    if (req.response_as_base64) throw inputInvalid('Invalid input: response_as_base64 is not supported for this API.');
    // The token endpoint would hand out a live access token: never forwarded.
    if (/^\/(v1\/)?auth(\/|\?|$)/i.test(req.path.trim())) throw inputInvalid('Invalid input: path /auth is handled by the gateway and cannot be called through passthrough.');
    if (integration.status === 'INACTIVE') throw new GatewayError('INTEGRATION.INACTIVE', 'The integration is inactive; enable it first.');
    const credentials = this.integrations.credentialsOf(integration);
    const ctx = this.integrations.contextFor(integration);
    let res: PassthroughResponse;
    try {
      res = await connector.passthrough(ctx, { method: req.method, path: req.path, params: req.params, body: req.data, headers: req.headers });
    } catch (e) {
      throw toGatewayError(e);
    }
    this.log.info({ integration_id: integration.id, api: name, method: req.method, status: res.status }, 'passthrough request');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (!SECRET_HEADERS.has(k.toLowerCase())) headers[k] = v;
    return scrubSecrets({ url: res.url, status: res.status, headers, data: res.data ?? null }, secretsOf(credentials));
  }
}

function secretsOf(credentials: unknown): string[] {
  return Object.values((credentials ?? {}) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

/** Should the remote system echo a credential (an error page quoting the request), it is masked. */
function scrubSecrets<T>(value: T, secrets: string[]): T {
  const text = JSON.stringify(value);
  if (!secrets.some((s) => text.includes(s))) return value;
  let out = text;
  for (const s of secrets) out = out.split(JSON.stringify(s).slice(1, -1)).join('[redacted]');
  return JSON.parse(out) as T;
}
