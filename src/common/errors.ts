import { HttpStatus } from '@nestjs/common';

/** Kombo's error codes (kombo-openapi.json, ErrorResponse*), plus the HTTP status we answer with. */
export const ERROR_CODES = {
  'PLATFORM.RATE_LIMIT_EXCEEDED': { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Rate limit exceeded.' },
  'PLATFORM.CONCURRENCY_LIMIT_EXCEEDED': { status: HttpStatus.TOO_MANY_REQUESTS, title: 'Too many concurrent requests.' },
  'PLATFORM.INTEGRATION_NOT_FOUND': { status: HttpStatus.NOT_FOUND, title: 'Integration not found.' },
  'PLATFORM.INPUT_INVALID': { status: HttpStatus.BAD_REQUEST, title: 'The input is invalid.' },
  'PLATFORM.UNKNOWN_ERROR': { status: HttpStatus.INTERNAL_SERVER_ERROR, title: 'An unknown error occurred.' },
  'PLATFORM.IP_NOT_WHITELISTED': { status: HttpStatus.FORBIDDEN, title: 'IP address not whitelisted.' },
  'PLATFORM.AUTHENTICATION_INVALID': { status: HttpStatus.UNAUTHORIZED, title: 'Authentication is invalid.' },
  'PLATFORM.TASK_TIMED_OUT': { status: HttpStatus.GATEWAY_TIMEOUT, title: 'The task timed out.' },
  'PLATFORM.NOT_FOUND': { status: HttpStatus.NOT_FOUND, title: 'Not found.' },
  'PLATFORM.CONFLICT': { status: HttpStatus.CONFLICT, title: 'Conflict.' },
  'INTEGRATION.PERMISSION_MISSING': { status: HttpStatus.FORBIDDEN, title: 'A permission is missing in the connected system.' },
  'INTEGRATION.AUTHENTICATION_INVALID': { status: HttpStatus.FORBIDDEN, title: "The integration's credentials are invalid." },
  'INTEGRATION.QA_FAILED': { status: HttpStatus.CONFLICT, title: 'The integration failed its quality check.' },
  'INTEGRATION.SETUP_SYNC_PENDING': { status: HttpStatus.CONFLICT, title: "The integration's first sync has not finished yet." },
  'INTEGRATION.SETUP_INCOMPLETE': { status: HttpStatus.CONFLICT, title: "The integration's setup is incomplete." },
  'INTEGRATION.INACTIVE': { status: HttpStatus.FORBIDDEN, title: 'The integration is inactive.' },
  'INTEGRATION.MODEL_NOT_AVAILABLE': { status: HttpStatus.NOT_IMPLEMENTED, title: "This data model isn't supported for the selected integration." },
  'INTEGRATION.MODEL_DISABLED': { status: HttpStatus.FORBIDDEN, title: 'This data model is disabled.' },
  'INTEGRATION.ACTION_NOT_AVAILABLE': { status: HttpStatus.NOT_IMPLEMENTED, title: "This action isn't supported for the selected integration." },
  'INTEGRATION.ACTION_DISABLED': { status: HttpStatus.FORBIDDEN, title: 'This action is disabled.' },
  'REMOTE.SERVICE_UNAVAILABLE': { status: HttpStatus.SERVICE_UNAVAILABLE, title: 'The remote system is unavailable.' },
  'REMOTE.RATE_LIMIT_EXCEEDED': { status: HttpStatus.TOO_MANY_REQUESTS, title: "The remote system's rate limit was exceeded." },
  'REMOTE.INPUT_INVALID': { status: HttpStatus.BAD_REQUEST, title: 'The remote system rejected the input.' },
  'REMOTE.UNKNOWN_HTTP_ERROR': { status: HttpStatus.BAD_GATEWAY, title: 'The remote system answered with an unexpected error.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error type services throw. The global filter turns it into
 * `{status:"error", error:{code,title,message,log_url}}` with the code's HTTP status.
 * Messages are shown to API callers: never put a secret into one.
 */
export class GatewayError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: { status?: number; headers?: Record<string, string> },
  ) {
    super(message);
    this.name = 'GatewayError';
  }

  get httpStatus(): number {
    return this.details?.status ?? ERROR_CODES[this.code].status;
  }
}

export const inputInvalid = (message: string) => new GatewayError('PLATFORM.INPUT_INVALID', message);
export const integrationNotFound = (id: string) =>
  new GatewayError('PLATFORM.INTEGRATION_NOT_FOUND', `No integration with the ID "${id}" exists in this environment.`);
export const notFound = (what: string) => new GatewayError('PLATFORM.NOT_FOUND', what);
