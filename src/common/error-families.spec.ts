import type { Request } from 'express';
import { codeInFamily, errorFamilyOf, RouteErrorFamilies } from './error-families';
import { GatewayError } from './errors';
import { filterResponse } from '../../test/support/exception-filter';

const families = new RouteErrorFamilies([
  { method: 'POST', path: '/v1/force-sync' },
  { method: 'GET', path: '/v1/hris/absences' },
  { method: 'GET', path: '/v1/integrations/:integration_id/syncs/:sync_id', extension: true },
  { method: 'POST', path: '/v1/hris/employees/:employee_id/trainings', extension: true, family: 'HRIS' },
]);
const req = (method: string, routePath?: string) =>
  ({ method, path: routePath ?? '/v1/x', baseUrl: '', route: routePath ? { path: routePath } : undefined }) as unknown as Request;

const respond = (exception: unknown, r: Request) => filterResponse(exception, r, families);

describe('error families', () => {
  it('follow Kombo’s paths: HRIS, ATS/assessment, general; our extensions are free', () => {
    expect(errorFamilyOf('/v1/hris/employees', false)).toBe('HRIS');
    expect(errorFamilyOf('/v1/assessment/orders', false)).toBe('ATS');
    expect(errorFamilyOf('/v1/connect/integration-by-token/:token', false)).toBe('GENERAL');
    expect(errorFamilyOf('/v1/integrations/:integration_id/syncs', true)).toBe('EXTENSION');
  });

  it('an extension route that declares a family keeps to its codes', () => {
    const conflict = new GatewayError('PLATFORM.CONFLICT', 'Busy.');
    expect(respond(conflict, req('POST', '/v1/hris/employees/:employee_id/trainings')).body.error.code).toBe('PLATFORM.INPUT_INVALID');
    expect(respond(conflict, req('GET', '/v1/integrations/:integration_id/syncs/:sync_id')).body.error.code).toBe('PLATFORM.CONFLICT');
  });

  it('narrow a code to the nearest one the family has', () => {
    expect(codeInFamily('GENERAL', 'INTEGRATION.INACTIVE')).toBe('PLATFORM.INPUT_INVALID');
    expect(codeInFamily('GENERAL', 'PLATFORM.NOT_FOUND')).toBe('PLATFORM.INPUT_INVALID');
    expect(codeInFamily('GENERAL', 'REMOTE.RATE_LIMIT_EXCEEDED')).toBe('PLATFORM.RATE_LIMIT_EXCEEDED');
    expect(codeInFamily('GENERAL', 'REMOTE.SERVICE_UNAVAILABLE')).toBe('PLATFORM.UNKNOWN_ERROR');
    expect(codeInFamily('HRIS', 'INTEGRATION.INACTIVE')).toBe('INTEGRATION.INACTIVE');
    expect(codeInFamily('HRIS', 'PLATFORM.CONFLICT')).toBe('PLATFORM.INPUT_INVALID');
    expect(codeInFamily('EXTENSION', 'PLATFORM.NOT_FOUND')).toBe('PLATFORM.NOT_FOUND');
    expect(codeInFamily(null, 'PLATFORM.NOT_FOUND')).toBe('PLATFORM.NOT_FOUND');
  });

  it('the filter answers the narrowed code with its title, keeping the status and message', () => {
    const inactive = new GatewayError('INTEGRATION.INACTIVE', 'The integration is inactive; enable it before syncing.');
    expect(respond(inactive, req('POST', '/v1/force-sync'))).toMatchObject({
      status: 403,
      body: { error: { code: 'PLATFORM.INPUT_INVALID', title: 'The input is invalid.', message: 'The integration is inactive; enable it before syncing.' } },
    });
    expect(respond(inactive, req('GET', '/v1/hris/absences')).body.error.code).toBe('INTEGRATION.INACTIVE');
    const missing = new GatewayError('PLATFORM.NOT_FOUND', 'No sync.');
    expect(respond(missing, req('GET', '/v1/integrations/:integration_id/syncs/:sync_id')).body.error.code).toBe('PLATFORM.NOT_FOUND');
    // No matched route (an unknown path): left as it is.
    expect(respond(missing, req('GET'))).toMatchObject({ status: 404, body: { error: { code: 'PLATFORM.NOT_FOUND' } } });
  });
});
