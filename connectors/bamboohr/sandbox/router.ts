import { IncomingMessage, ServerResponse } from 'node:http';
import { delay, drain } from '../../sandbox-kit/http';
import { changedEmployees, changedTable, getEmployee, getTable, listEmployees } from './employees-api';
import { createCategories, downloadFile, filesView, uploadFile } from './files-api';
import { ErrorFamily, Reply, error, send } from './http';
import { companyInformation, metaFields, metaLists, metaTables, orgLocations } from './meta-api';
import { customReport } from './reports-api';
import { SandboxState } from './state';
import {
  createTrainingRecord,
  deleteTrainingRecord,
  listTrainingCategories,
  listTrainingRecords,
  listTrainingTypes,
  updateTrainingRecord,
} from './training-api';
import { ApiKey } from './types';
import { createEmployee, updateEmployee, writeTableRow } from './writes-api';
import { datasetData, getDatasetFields, listDatasets } from './datasets-api';
import { handleWebhooks } from './webhooks';

/** `/api/v1/...` (subdomain shape, default company) and `/api/gateway.php/{company}/v1/...` (NOTES §3.1). */
const SUBDOMAIN = /^\/api\/(v1|v1_1|v1_2|v2)(\/.*)?$/;
const GATEWAY = /^\/api\/gateway\.php\/([^/]+)\/(v1|v1_1|v1_2|v2)(\/.*)?$/;

interface Route {
  method: string;
  version?: string;
  pattern: RegExp;
  family: ErrorFamily;
  oauthOnly?: boolean;
  handle: (ctx: Ctx, m: RegExpExecArray) => Reply | Promise<Reply>;
}
interface Ctx {
  state: SandboxState;
  req: IncomingMessage;
  key: ApiKey;
  query: URLSearchParams;
  selfHref: string;
}

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/employees$/, family: 'list', oauthOnly: true, handle: (c) => listEmployees(c.state, c.key, c.query, c.selfHref) },
  { method: 'GET', pattern: /^\/employees\/changed$/, family: 'classic', handle: (c) => changedEmployees(c.state, c.req, c.key, c.query) },
  {
    method: 'GET',
    pattern: /^\/employees\/changed\/tables\/([^/]+)$/,
    family: 'classic',
    handle: (c, m) => changedTable(c.state, c.req, c.key, m[1], c.query),
  },
  { method: 'POST', pattern: /^\/employees\/files\/categories$/, family: 'classic', handle: (c) => createCategories(c.state, c.req) },
  { method: 'GET', pattern: /^\/employees\/([^/]+)$/, family: 'classic', handle: (c, m) => getEmployee(c.state, c.req, c.key, m[1], c.query) },
  {
    method: 'GET',
    pattern: /^\/employees\/([^/]+)\/tables\/([^/]+)$/,
    family: 'classic',
    handle: (c, m) => getTable(c.state, c.req, c.key, m[1], m[2], c.query),
  },
  { method: 'POST', pattern: /^\/employees$/, family: 'classic', handle: (c) => createEmployee(c.state, c.req) },
  { method: 'POST', pattern: /^\/employees\/([^/]+)$/, family: 'classic', handle: (c, m) => updateEmployee(c.state, c.req, c.key, m[1]) },
  { method: 'POST', pattern: /^\/employees\/([^/]+)\/tables\/([^/]+)$/, family: 'classic', handle: (c, m) => writeTableRow(c.state, c.req, c.key, m[1], m[2]) },
  {
    method: 'POST',
    pattern: /^\/employees\/([^/]+)\/tables\/([^/]+)\/(\d+)$/,
    family: 'classic',
    handle: (c, m) => writeTableRow(c.state, c.req, c.key, m[1], m[2], m[3]),
  },
  { method: 'GET', pattern: /^\/employees\/([^/]+)\/files\/view$/, family: 'classic', handle: (c, m) => filesView(c.state, c.req, c.key, m[1]) },
  { method: 'POST', pattern: /^\/employees\/([^/]+)\/files$/, family: 'classic', handle: (c, m) => uploadFile(c.state, c.req, c.key, m[1]) },
  { method: 'GET', pattern: /^\/employees\/([^/]+)\/files\/(\d+)$/, family: 'classic', handle: (c, m) => downloadFile(c.state, c.key, m[1], m[2]) },
  { method: 'GET', pattern: /^\/meta\/fields$/, family: 'classic', handle: (c) => metaFields(c.state, c.req) },
  { method: 'GET', pattern: /^\/meta\/lists$/, family: 'classic', handle: (c) => metaLists(c.state, c.req, c.query) },
  { method: 'GET', pattern: /^\/meta\/tables$/, family: 'classic', handle: (c) => metaTables(c.state, c.req) },
  { method: 'GET', pattern: /^\/hris\/org\/locations$/, family: 'problem', oauthOnly: true, handle: (c) => orgLocations(c.state, c.query) },
  { method: 'POST', pattern: /^\/reports\/custom$/, family: 'classic', handle: (c) => customReport(c.state, c.req, c.key, c.query) },
  { method: 'GET', version: 'v1_2', pattern: /^\/datasets$/, family: 'problem', handle: () => listDatasets() },
  { method: 'GET', version: 'v1_2', pattern: /^\/datasets\/([^/]+)\/fields$/, family: 'problem', handle: (c, m) => getDatasetFields(c.state, m[1], c.query) },
  { method: 'POST', version: 'v2', pattern: /^\/datasets\/([^/]+)\/data$/, family: 'problem', handle: (c, m) => datasetData(c.state, c.req, c.key, m[1]) },
  { method: 'GET', pattern: /^\/company_information$/, family: 'classic', handle: (c) => companyInformation(c.state) },
  { method: 'GET', pattern: /^\/training\/type$/, family: 'classic', handle: (c) => listTrainingTypes(c.state) },
  { method: 'GET', pattern: /^\/training\/category$/, family: 'classic', handle: (c) => listTrainingCategories(c.state) },
  {
    method: 'GET',
    pattern: /^\/training\/record\/employee\/([^/]+)$/,
    family: 'classic',
    handle: (c, m) => listTrainingRecords(c.state, c.key, m[1], c.query),
  },
  {
    method: 'POST',
    pattern: /^\/training\/record\/employee\/([^/]+)$/,
    family: 'classic',
    handle: (c, m) => createTrainingRecord(c.state, c.req, c.key, m[1]),
  },
  { method: 'PUT', pattern: /^\/training\/record\/(\d+)$/, family: 'classic', handle: (c, m) => updateTrainingRecord(c.state, c.req, m[1]) },
  { method: 'DELETE', pattern: /^\/training\/record\/(\d+)$/, family: 'classic', handle: (c, m) => deleteTrainingRecord(c.state, m[1]) },
];

/** The log keeps only a key's first characters: enough to tell keys apart, never the secret. */
const masked = (key: string | null): string | null => (key === null ? null : `${key.slice(0, 6)}…`);

/** The API key from `Authorization: Basic base64(key:anything)` (NOTES §3.2). */
function basicKey(req: IncomingMessage): string | null {
  const h = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon < 0 ? decoded : decoded.slice(0, colon);
  return key || null;
}

export async function handleApi(state: SandboxState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const started = state.now();
  const method = req.method ?? 'GET';
  let keyName: string | null = null;
  const finish = async (reply: Reply) => {
    if (!req.readableEnded) await drain(req);
    send(res, reply);
    state.logRequest({ at: started, method, path: url.pathname, status: reply.status, key: masked(keyName) });
  };
  const sw = state.switches;
  let rest: string;
  let version: string;
  let m: RegExpExecArray | null;
  if ((m = GATEWAY.exec(url.pathname))) {
    if (m[1].toLowerCase() !== state.options.company.toLowerCase()) return finish(error('classic', sw, sw.unknownCompanyStatus, 'Unknown company domain'));
    [version, rest] = [m[2], m[3] ?? '/'];
  } else if ((m = SUBDOMAIN.exec(url.pathname))) {
    [version, rest] = [m[1], m[2] ?? '/'];
  } else {
    return finish(error('classic', sw, 404, 'Not found'));
  }
  const versioned = ROUTES.filter((r) => (r.version ?? 'v1') === version);
  const found = versioned.map((r) => ({ r, mm: r.method === method ? r.pattern.exec(rest) : null })).find((x) => x.mm);
  const anyMethod = versioned.some((r) => r.pattern.test(rest));
  const family: ErrorFamily = found?.r.family ?? 'classic';
  // The list endpoint declares 401/429 without a body; only its 400 carries the JSON error.
  const authFamily: ErrorFamily = family === 'list' ? 'classic' : family;

  const throttled = (retryAfterMs: number) => {
    if (sw.throttling === 'legacy') return error(authFamily, sw, 503, 'Service Unavailable');
    return error(authFamily, sw, 429, 'Too many requests', { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000 / state.options.timeScale))) });
  };
  keyName = basicKey(req);
  const key = keyName ? state.keys.get(keyName) : undefined;
  if (!key || state.keysRevoked) {
    if (sw.failedAuthCountsTowardLimit && state.limiter) {
      const r = state.limiter.take(`failed-auth:${req.socket.remoteAddress ?? ''}`, state.clock.monotonic());
      if (!r.ok) return finish(throttled(r.retryAfterMs));
    }
    return finish(error(authFamily, sw, 401, keyName ? 'Invalid API key' : 'Your API key is missing'));
  }
  if (found?.r.oauthOnly && !sw.basicOnOauthOnlyEndpoints) return finish(error(authFamily, sw, 401, 'This endpoint requires an OAuth access token'));

  if (state.faults.revokeKeysAfterRequests !== null) {
    state.faults.revokeKeysAfterRequests -= 1;
    if (state.faults.revokeKeysAfterRequests <= 0) {
      state.faults.revokeKeysAfterRequests = null;
      state.keysRevoked = true;
    }
  }
  if (state.faults.rateLimitBurst > 0) {
    state.faults.rateLimitBurst -= 1;
    return finish(throttled(1000));
  }
  if (state.limiter) {
    const r = state.limiter.take(sw.rateLimitScope === 'company' ? 'company' : `key:${key.key}`, state.clock.monotonic());
    if (!r.ok) return finish(throttled(r.retryAfterMs));
  }
  if (state.roll(state.faults.resetRate)) {
    req.socket.destroy();
    state.logRequest({ at: started, method, path: url.pathname, status: 0, key: masked(keyName) });
    return;
  }
  if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs);
  if (state.roll(state.faults.serverErrorRate)) {
    const status = [500, 502, 503][state.faultRng.index(3)];
    return finish(error(authFamily, sw, status, status === 503 ? 'Service Unavailable' : 'There was an unknown server error'));
  }
  if (version === 'v1' && /^\/webhooks(\/|$)/.test(rest)) {
    const reply = await handleWebhooks(state, req, key, rest);
    return finish(reply ?? error('classic', sw, 404, 'Not found'));
  }
  if (!found) return finish(error(family, sw, anyMethod ? 405 : 404, anyMethod ? 'Method not allowed' : 'Not found'));

  if (found.r.family === 'list' && (url.searchParams.has('page[after]') || url.searchParams.has('page[before]'))) shiftBetweenPages(state, url);
  const reply = await found.r.handle({ state, req, key, query: url.searchParams, selfHref: `${state.baseUrl}${url.pathname}${url.search}` }, found.mm!);
  if (reply.status === 200 && typeof reply.body === 'string' && reply.body.length > 2 && state.roll(state.faults.truncatedJsonRate)) {
    reply.body = reply.body.slice(0, Math.floor(reply.body.length / 2));
  }
  return finish(reply);
}

/**
 * Fault `shiftRecordsBetweenPages` (one-shot): before serving a follow-up page, hire someone
 * ('insert') or delete the page's boundary employee ('delete' → BambooHR answers `BadPage`).
 */
function shiftBetweenPages(state: SandboxState, url: URL): void {
  const mode = state.faults.shiftRecordsBetweenPages;
  if (!mode) return;
  state.faults.shiftRecordsBetweenPages = null;
  if (mode === 'insert') {
    state.hire({ firstName: 'Aaron', lastName: 'Aalto' });
    return;
  }
  const raw = url.searchParams.get('page[after]') ?? url.searchParams.get('page[before]') ?? '';
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { id?: number };
    if (typeof c.id === 'number' && state.employees.has(c.id)) state.remove(c.id);
  } catch {
    // a malformed cursor gets its BadPage from the handler
  }
}
