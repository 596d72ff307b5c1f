import { ConnectorError } from '../../connectors/connector';
import { toGatewayError } from '../integrations/connector-errors';
import { isDatabaseUnavailable } from './error.filter';
import { filterResponse } from '../../test/support/exception-filter';

const respond = (exception: unknown) => filterResponse(exception);

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

describe('isDatabaseUnavailable', () => {
  const sock = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });

  it('recognises a refused connection, a dropped one, and Postgres refusing connections', () => {
    expect(isDatabaseUnavailable(sock('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('query failed'), { driverError: sock('ECONNRESET') }))).toBe(true);
  });

  it("leaves failed queries and other services' outages alone", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid input syntax'), { code: '22P02' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(sock('ECONNREFUSED'), { isAxiosError: true }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' }))).toBe(false);
  });

  it('answers 503 with Retry-After', () => {
    const r = respond(sock('ECONNREFUSED'));
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('PLATFORM.UNKNOWN_ERROR');
  });
});

describe('toGatewayError', () => {
  it('quotes the upstream message once', () => {
    const quoted = toGatewayError(
      new ConnectorError('UPSTREAM_INVALID_INPUT', 'Personio refused the document: Title too long', { upstreamMessage: 'Title too long' }),
    );
    expect(quoted.message).toBe('Personio refused the document: Title too long');
    const added = toGatewayError(new ConnectorError('UPSTREAM_INVALID_INPUT', 'Personio refused the request', { upstreamMessage: 'Title too long' }));
    expect(added.message).toBe('Personio refused the request (Title too long)');
  });
});
