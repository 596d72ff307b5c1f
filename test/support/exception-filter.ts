import type { ArgumentsHost } from '@nestjs/common';
import type { Request } from 'express';
import { RouteErrorFamilies } from '../../src/common/error-families';
import { GatewayExceptionFilter } from '../../src/common/error.filter';

export interface FilteredResponse {
  status: number;
  body: { error: { code: string; title: string; message: string } };
}

/** Runs GatewayExceptionFilter on `exception` with a fake response and returns what it sent (unit specs). */
export function filterResponse(
  exception: unknown,
  req: Request = { method: 'GET', path: '/v1/x' } as Request,
  families?: RouteErrorFamilies,
): FilteredResponse {
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
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  new GatewayExceptionFilter(families).catch(exception, host);
  return out as FilteredResponse;
}
