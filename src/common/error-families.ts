import type { Request } from 'express';
import { ErrorCode } from './errors';

/**
 * Kombo gives every operation one of a few error schemas (kombo-openapi.json,
 * `components.responses.ErrorResponseGeneral/HRIS/ATS`), and its SDK rejects any
 * other code for that operation (ResponseValidationError instead of a typed error).
 * This is the one place that knows which codes a route may answer: the exception
 * filter narrows every error to its route's family, and the OpenAPI document lists
 * the narrowed codes. Services keep throwing the code that says what happened.
 */
export type ErrorFamily = 'GENERAL' | 'HRIS' | 'ATS' | 'EXTENSION';

const PLATFORM: readonly ErrorCode[] = [
  'PLATFORM.RATE_LIMIT_EXCEEDED',
  'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED',
  'PLATFORM.INTEGRATION_NOT_FOUND',
  'PLATFORM.INPUT_INVALID',
  'PLATFORM.UNKNOWN_ERROR',
  'PLATFORM.IP_NOT_WHITELISTED',
  'PLATFORM.AUTHENTICATION_INVALID',
  'PLATFORM.TASK_TIMED_OUT',
];
const INTEGRATION_AND_REMOTE: readonly ErrorCode[] = [
  'INTEGRATION.PERMISSION_MISSING',
  'INTEGRATION.AUTHENTICATION_INVALID',
  'INTEGRATION.QA_FAILED',
  'INTEGRATION.SETUP_SYNC_PENDING',
  'INTEGRATION.SETUP_INCOMPLETE',
  'INTEGRATION.INACTIVE',
  'INTEGRATION.MODEL_NOT_AVAILABLE',
  'INTEGRATION.MODEL_DISABLED',
  'INTEGRATION.ACTION_NOT_AVAILABLE',
  'INTEGRATION.ACTION_DISABLED',
  'REMOTE.SERVICE_UNAVAILABLE',
  'REMOTE.RATE_LIMIT_EXCEEDED',
  'REMOTE.INPUT_INVALID',
  'REMOTE.UNKNOWN_HTTP_ERROR',
];

/**
 * Kombo's code lists, restricted to the codes this gateway has (it creates no
 * employees or applications, so never needs HRIS.EMPLOYEE_ALREADY_EXISTS or ATS.*).
 * Our own routes (EXTENSION) may answer any code, e.g. PLATFORM.NOT_FOUND.
 */
export const FAMILY_CODES: Record<Exclude<ErrorFamily, 'EXTENSION'>, readonly ErrorCode[]> = {
  GENERAL: PLATFORM,
  HRIS: [...PLATFORM, ...INTEGRATION_AND_REMOTE],
  ATS: [...PLATFORM, ...INTEGRATION_AND_REMOTE],
};

/** Kombo's rule: the HRIS and ATS/assessment paths have their category's schema, every other path the general one. */
export function errorFamilyOf(path: string, extension: boolean): ErrorFamily {
  if (extension) return 'EXTENSION';
  if (path.startsWith('/v1/hris/')) return 'HRIS';
  if (/^\/v1\/(ats|assessment)\//.test(path)) return 'ATS';
  return 'GENERAL';
}

/** Where a family lacks the code, the nearest it has; everything else is an input the route cannot serve. */
const NEAREST: Partial<Record<ErrorCode, ErrorCode>> = {
  'REMOTE.RATE_LIMIT_EXCEEDED': 'PLATFORM.RATE_LIMIT_EXCEEDED',
  'REMOTE.SERVICE_UNAVAILABLE': 'PLATFORM.UNKNOWN_ERROR',
  'REMOTE.UNKNOWN_HTTP_ERROR': 'PLATFORM.UNKNOWN_ERROR',
};

/** The code a route of this family answers for `code` (its HTTP status and message stay as they are). */
export function codeInFamily(family: ErrorFamily | null, code: ErrorCode): ErrorCode {
  if (family === null || family === 'EXTENSION' || FAMILY_CODES[family].includes(code)) return code;
  return NEAREST[code] ?? 'PLATFORM.INPUT_INVALID';
}

export interface RouteForFamily {
  method: string;
  /** Express-style path, e.g. /v1/integrations/:integration_id */
  path: string;
  extension?: boolean;
  /** Overrides the family the path and `extension` give (OperationSpec.errorFamily). */
  family?: ErrorFamily;
}

/** The family of every route of the app, looked up by the route Express matched. */
export class RouteErrorFamilies {
  private readonly byRoute = new Map<string, ErrorFamily>();

  constructor(routes: RouteForFamily[]) {
    for (const r of routes) this.byRoute.set(`${r.method.toUpperCase()} ${r.path}`, r.family ?? errorFamilyOf(r.path, r.extension ?? false));
  }

  /** null when no route matched (an unknown path, or an error before routing): the code is left as it is. */
  of(req: Request): ErrorFamily | null {
    const path = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof path !== 'string') return null;
    return this.byRoute.get(`${req.method.toUpperCase()} ${req.baseUrl ?? ''}${path}`) ?? null;
  }
}
