import type { ArgumentsHost } from '@nestjs/common';
import { ConnectorError } from '../../connectors/connector';
import { toGatewayError } from '../integrations/connector-errors';
import { GatewayExceptionFilter } from './error.filter';

function respond(exception: unknown): { status: number; body: { error: { code: string; message: string } } } {
  const out = { status: 0, body: undefined as unknown };
  const res = {
    headersSent: false,
    setHeader: () => undefined,
    status(s: number) {
      out.status = s;
      return this;
    },
    json(b: unknown) {
      out.body = b;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/v1/x' }) }) } as unknown as ArgumentsHost;
  new GatewayExceptionFilter().catch(exception, host);
  return out as never;
}

describe('GatewayExceptionFilter', () => {
  it('gives a connector failure that escaped its caller its Kombo code, not a 500', () => {
    const r = respond(new ConnectorError('RATE_LIMITED', 'Personio kept answering 429 Too Many Requests', { status: 429 }));
    expect(r.status).toBe(429);
    expect(r.body.error).toMatchObject({ code: 'REMOTE.RATE_LIMIT_EXCEEDED', message: 'Personio kept answering 429 Too Many Requests' });
  });

  it('answers anything else unknown with PLATFORM.UNKNOWN_ERROR and no internals', () => {
    const r = respond(new Error('relation "x" does not exist'));
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('PLATFORM.UNKNOWN_ERROR');
    expect(r.body.error.message).not.toContain('relation');
  });
});

describe('toGatewayError', () => {
  it('quotes the upstream message once', () => {
    const quoted = toGatewayError(new ConnectorError('UPSTREAM_INVALID_INPUT', 'Personio refused the document: Title too long', { upstreamMessage: 'Title too long' }));
    expect(quoted.message).toBe('Personio refused the document: Title too long');
    const added = toGatewayError(new ConnectorError('UPSTREAM_INVALID_INPUT', 'Personio refused the request', { upstreamMessage: 'Title too long' }));
    expect(added.message).toBe('Personio refused the request (Title too long)');
  });
});
