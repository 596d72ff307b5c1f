import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isConnectorError } from '../../connectors/connector';
import { toGatewayError } from '../integrations/connector-errors';
import { codeInFamily, RouteErrorFamilies } from './error-families';
import { ERROR_CODES, ErrorCode, GatewayError } from './errors';
import { ErrorEnvelope } from './envelope';
import { getLogger } from './logger';
import { scrubText } from './redact';

/** Seconds a client is asked to wait while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_S = 5;

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENOENT']);
const SOCKET_CALLS = new Set(['connect', 'read', 'write', 'getaddrinfo']);
// SQLSTATE: 08xxx connection exceptions, 57P01-03 shutdown / not accepting connections, 53300 too many connections.
const SERVER_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end|Client was closed/i;

/**
 * True for an error that means "the database cannot be reached right now" (a pg or
 * TypeORM error, or the socket error beneath one), as opposed to a failed query.
 * HTTP clients' errors (axios, fetch) are someone else's outage and never match.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e, i = 0; cur && typeof cur === 'object' && i < 4; i++) {
    const err = cur as { code?: unknown; message?: unknown; isAxiosError?: unknown; name?: unknown; driverError?: unknown; cause?: unknown; syscall?: unknown };
    if (err.isAxiosError || err.name === 'TypeError') return false;
    const code = typeof err.code === 'string' ? err.code : '';
    if (SERVER_UNAVAILABLE.test(code)) return true;
    if (UNREACHABLE.has(code) && SOCKET_CALLS.has(String(err.syscall))) return true;
    if (typeof err.message === 'string' && POOL_MESSAGES.test(err.message) && !code) return true;
    cur = err.driverError ?? err.cause;
  }
  return false;
}

/**
 * The single exit for every error: Kombo's envelope with a stable code, never an
 * HTML page or a stack trace. Framework errors (unknown route, bad JSON, body too
 * large, wrong content type) are translated to 4xx codes here.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly log = getLogger('http');

  /** `families`: the error schema of each route (Kombo's per operation); without it codes are not narrowed. */
  constructor(private readonly families: RouteErrorFamilies = new RouteErrorFamilies([])) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const translated = this.translate(exception, req);
    const { status, message, headers } = translated;
    // Only codes the route's Kombo error schema allows, or Kombo's SDK cannot parse the error.
    const code = codeInFamily(this.families.of(req), translated.code);
    if (status >= 500) {
      this.log.error({ err: exception, method: req.method, path: req.path }, 'request failed');
    }
    if (res.headersSent) return;
    const body: ErrorEnvelope = {
      status: 'error',
      error: {
        code,
        title: code ? ((ERROR_CODES as Record<string, { title: string }>)[code]?.title ?? null) : null,
        message: scrubText(message),
        log_url: null,
      },
    };
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.status(status).json(body);
  }

  private translate(exception: unknown, req: Request): { status: number; code: ErrorCode; message: string; headers?: Record<string, string> } {
    // A connector failure that escaped its caller still gets its Kombo code, not a 500.
    if (isConnectorError(exception)) exception = toGatewayError(exception);
    if (exception instanceof GatewayError) {
      return { status: exception.httpStatus, code: exception.code, message: exception.message, headers: exception.details?.headers };
    }
    // body-parser errors carry a status (http-errors) and usually a `type`.
    const bp = exception as { type?: string; status?: number; expose?: boolean; limit?: number; message?: string; code?: string };
    if (bp && typeof bp.code === 'string' && bp.code.startsWith('Z_')) {
      // zlib: the body is not what its Content-Encoding says.
      return {
        status: 400,
        code: 'PLATFORM.INPUT_INVALID',
        message: `The request body is not valid ${req.headers['content-encoding'] ?? 'compressed'} data (Content-Encoding).`,
      };
    }
    if (bp && typeof bp.status === 'number' && (typeof bp.type === 'string' || typeof bp.expose === 'boolean')) {
      switch (bp.type) {
        case 'entity.parse.failed':
          return { status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'The request body is not valid JSON.' };
        case 'entity.too.large':
          return { status: 413, code: 'PLATFORM.INPUT_INVALID', message: `The request body is too large (limit ${bp.limit} bytes).` };
        case 'encoding.unsupported':
        case 'charset.unsupported':
          return { status: 415, code: 'PLATFORM.INPUT_INVALID', message: 'The request body has an unsupported encoding or charset.' };
        default:
          return { status: bp.status < 500 ? bp.status : 400, code: 'PLATFORM.INPUT_INVALID', message: 'The request body could not be read.' };
      }
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: 503,
        code: 'PLATFORM.UNKNOWN_ERROR',
        message: `The gateway's database cannot be reached at the moment. Retry in ${DATABASE_RETRY_AFTER_S} s.`,
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) {
        return { status, code: 'PLATFORM.NOT_FOUND', message: `No route matches ${req.method} ${req.path}.` };
      }
      if (status === HttpStatus.TOO_MANY_REQUESTS) {
        return { status, code: 'PLATFORM.RATE_LIMIT_EXCEEDED', message: 'Too many requests. Retry after a short pause.' };
      }
      if (status === HttpStatus.UNAUTHORIZED || status === HttpStatus.FORBIDDEN) {
        return { status: 401, code: 'PLATFORM.AUTHENTICATION_INVALID', message: exception.message };
      }
      if (status < 500) {
        return { status, code: 'PLATFORM.INPUT_INVALID', message: describeHttpException(exception) };
      }
    }
    return { status: 500, code: 'PLATFORM.UNKNOWN_ERROR', message: 'An unexpected error occurred. It has been logged.' };
  }
}

function describeHttpException(e: HttpException): string {
  const r = e.getResponse();
  if (typeof r === 'string') return r;
  const m = (r as { message?: unknown }).message;
  if (Array.isArray(m)) return m.join('; ');
  return typeof m === 'string' ? m : e.message;
}
