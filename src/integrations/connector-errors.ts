import { ConnectorError, ConnectorErrorKind } from '../../connectors/connector';
import { ErrorCode, GatewayError } from '../common/errors';

/**
 * One mapping from connector failures to Kombo's error codes, shared by every
 * endpoint that calls an HRIS live (passthrough, document upload, checks).
 * Connector messages never carry secrets (ConnectorError holds no cause), so
 * they can be shown to the caller.
 */
const BY_KIND: Record<ConnectorErrorKind, ErrorCode> = {
  AUTH_FAILED: 'INTEGRATION.AUTHENTICATION_INVALID',
  PERMISSION_MISSING: 'INTEGRATION.PERMISSION_MISSING',
  RATE_LIMITED: 'REMOTE.RATE_LIMIT_EXCEEDED',
  UPSTREAM_UNAVAILABLE: 'REMOTE.SERVICE_UNAVAILABLE',
  UPSTREAM_INVALID_INPUT: 'REMOTE.INPUT_INVALID',
  NOT_FOUND: 'REMOTE.INPUT_INVALID',
  INVALID_REQUEST: 'PLATFORM.INPUT_INVALID',
  ABORTED: 'PLATFORM.TASK_TIMED_OUT',
};

export function connectorErrorCode(kind: ConnectorErrorKind): ErrorCode {
  return BY_KIND[kind] ?? 'REMOTE.UNKNOWN_HTTP_ERROR';
}

/** Any error thrown around a connector call, as the GatewayError to answer with. */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  if (e instanceof ConnectorError) {
    // The connector's message often quotes the upstream one already; append it only when it adds something.
    const said = e.details.upstreamMessage?.slice(0, 300);
    const upstream = said && !e.message.includes(said) ? ` (${said})` : '';
    return new GatewayError(connectorErrorCode(e.kind), `${e.message}${upstream}`);
  }
  return new GatewayError('REMOTE.UNKNOWN_HTTP_ERROR', 'The call to the connected system failed unexpectedly.');
}
