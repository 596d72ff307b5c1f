import { Injectable } from '@nestjs/common';
import type { PassthroughResponse } from '../../connectors/connector';
import { GatewayError, inputInvalid } from '../common/errors';
import { getLogger } from '../common/logger';
import { ConnectorRegistry } from '../integrations/connector-registry';
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
    private readonly connectors: ConnectorRegistry,
  ) {}

  async send(integration: IntegrationEntity, tool: string, api: string, req: PassthroughRequestDto): Promise<PassthroughResponse> {
    const connector = this.connectors.get(integration.tool);
    const name = `${tool}/${api}`;
    if (tool !== integration.tool) throw inputInvalid(`Invalid input: tool "${tool}" does not match the integration's tool "${integration.tool}".`);
    // Kombo's passthrough endpoint answers only PLATFORM.* codes; an unknown API is the caller's input error.
    if (!connector.tool.coverage.passthrough.includes(name)) {
      throw inputInvalid(`Invalid input: no passthrough API "${name}". Available: ${connector.tool.coverage.passthrough.join(', ') || 'none'}.`);
    }
    if (req.response_as_base64) throw inputInvalid('Invalid input: response_as_base64 is not supported for this API.');
    assertSendable(req);
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

/** An HTTP token (RFC 9110 §5.6.2): what a header name may consist of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What HTTP itself forbids is refused here with a clear message (the connector's
 * retry decision would refuse it too, less readably). Path rules are the connector's:
 * it knows its API base and which of its paths must not be reached.
 */
function assertSendable(req: PassthroughRequestDto): void {
  if (req.method === 'GET' && req.data !== undefined && req.data !== null) {
    throw inputInvalid('Invalid input: data must be absent for a GET request (a GET has no body); use params for the query.');
  }
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!TOKEN.test(name)) throw inputInvalid(`Invalid input: headers: "${name.slice(0, 100)}" is not a valid HTTP header name.`);
    // Control characters are what this check refuses.
    // eslint-disable-next-line no-control-regex
    if (typeof value !== 'string' || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      throw inputInvalid(`Invalid input: headers: the value of "${name}" must be a string without line breaks or control characters.`);
    }
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
