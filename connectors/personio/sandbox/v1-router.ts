import { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth-api';
import { listCategories, uploadDocument } from './documents-api';
import { getEmployee, listAttributes, listEmployees, profilePictureReply } from './employees-api';
import { Reply, drain, serverError, v1Error } from './http-util';
import { beginExchange } from './exchange';
import { SandboxState } from './state';
import { SandboxCredential } from './types';

type Limiter = 'employees' | 'documents' | null;

interface Route {
  method: string;
  pattern: RegExp;
  scopes: string[]; // any of
  limiter: Limiter;
  /** Legacy single-use tokens: pictures neither spend the token nor return a new one (personio-py). */
  rotates: boolean;
  handle(state: SandboxState, c: SandboxCredential, m: RegExpExecArray, q: URLSearchParams, req: IncomingMessage): Reply | Promise<Reply>;
}

const READ = ['employees:read'];
const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/company\/employees\/?$/,
    scopes: READ,
    limiter: 'employees',
    rotates: true,
    handle: (s, c, _m, q) => listEmployees(s, c, q),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/company\/employees\/(?:custom-)?attributes\/?$/,
    scopes: READ,
    limiter: null,
    rotates: true,
    handle: (s, c) => listAttributes(s, c),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/company\/employees\/([^/]+)\/profile-picture(?:\/([^/]+))?\/?$/,
    scopes: READ,
    limiter: null,
    rotates: false,
    handle: (s, c, m) => profilePictureReply(s, c, m[1], m[2]),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/company\/employees\/([^/]+)\/?$/,
    scopes: READ,
    limiter: 'employees',
    rotates: true,
    handle: (s, c, m) => getEmployee(s, c, m[1]),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/company\/document-categories\/?$/,
    scopes: ['documents:read', 'documents:write'],
    limiter: null,
    rotates: true,
    handle: (s) => listCategories(s),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/company\/documents\/?$/,
    scopes: ['documents:write'],
    limiter: 'documents',
    rotates: true,
    handle: (s, _c, _m, _q, req) =>
      uploadDocument(s, req, () => (s.roll(s.faults.uploadFailureRate) ? serverError(s.faultRng.next() < 0.5 ? 500 : 503) : null)),
  },
];

const TOO_MANY = () => v1Error(429, 'Too Many Attempts.', 429);

/** Serves one `/v1/...` request: faults, auth, scopes, rate limits, handler, token echo, logging. */
export async function handleV1(state: SandboxState, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const x = await beginExchange(state, req, res, path);
  const { method, finish } = x;
  const f = state.faults;

  if (path === '/v1/auth' || path === '/v1/auth/') {
    if (method !== 'POST') return finish(v1Error(405, 'Method Not Allowed', 405));
    const r = await authenticate(state, req, query);
    x.clientId = r.clientId;
    return finish(r.reply);
  }

  let match: RegExpExecArray | null = null;
  const route = ROUTES.find((r) => r.method === method && (match = r.pattern.exec(path)) !== null);
  if (!route || !match) {
    await drain(req);
    return finish(v1Error(404, 'Not Found', 404));
  }
  if (state.roll(f.resetRate)) {
    x.logReset();
    req.socket.destroy();
    return;
  }
  if (f.revokeTokensAfterRequests !== null) {
    if (f.revokeTokensAfterRequests <= 0) {
      state.auth.revokeAll();
      f.revokeTokensAfterRequests = null;
    } else f.revokeTokensAfterRequests--;
  }

  const token = req.headers.authorization;
  const auth = state.auth.check(token, state.clock.now(), state.options.legacyRotatingTokens && route.rotates);
  const early = async (reply: Reply) => {
    await drain(req);
    finish(reply);
  };
  if (!auth.ok) {
    return early(
      auth.reason === 'missing'
        ? v1Error(401, 'Authorization is not provided', 401)
        : v1Error(state.options.invalidTokenStatus, 'Provided authorization is not valid', state.options.invalidTokenStatus),
    );
  }
  const credential = auth.credential;
  x.clientId = credential.clientId;
  if (!route.scopes.some((s) => credential.scopes.includes(s))) {
    return early(v1Error(403, `The API credentials are missing the required scope: ${route.scopes.join(' or ')}.`, 403));
  }
  if (f.rateLimitBurst > 0) {
    f.rateLimitBurst--;
    return early(TOO_MANY());
  }
  if (state.options.rateLimits && !takeLimits(state, credential.clientId, route.limiter)) return early(TOO_MANY());
  if (state.roll(f.serverErrorRate)) {
    const statuses = [500, 502, 503] as const;
    return early(serverError(statuses[state.faultRng.index(3)]));
  }

  const reply = await route.handle(state, credential, match, query, req);
  if (reply.isData && reply.status < 300) {
    const echo = state.options.legacyRotatingTokens
      ? route.rotates
        ? state.auth.issue(credential.clientId, state.clock.now(), true)
        : null
      : token!.replace(/^Bearer\s+/i, '').trim();
    if (echo) reply.headers = { ...reply.headers, Authorization: `Bearer ${echo}` };
    if (reply.contentType === 'application/json' && state.roll(f.truncatedJsonRate)) {
      const full = Buffer.from(reply.body);
      reply.body = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
    }
  }
  finish(reply);
}

/** Overall 2000/min per client, plus 300/min with a 15/s burst on employees, 60/min on uploads. */
function takeLimits(state: SandboxState, clientId: string, limiter: Limiter): boolean {
  const now = state.clock.monotonic();
  const l = state.limits;
  if (limiter === 'employees' && !(l.employeesBurst.take(clientId, now) && l.employees.take(clientId, now))) return false;
  if (limiter === 'documents' && !l.documents.take(clientId, now)) return false;
  return l.overall.take(clientId, now);
}
