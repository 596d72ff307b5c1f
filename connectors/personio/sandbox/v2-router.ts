import { IncomingMessage, ServerResponse } from 'node:http';
import { Reply, drain, readBody } from './http-util';
import { getEmployment, getPerson, listEmployments, listPersons } from './persons-api';
import { beginExchange } from './exchange';
import { SandboxState } from './state';
import { SandboxCredential } from './types';
import { issueV2Token, revokeV2Token } from './v2-auth';
import { problem } from './v2-http';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  patchWebhook,
  pingWebhook,
  redeliver,
  testEvent,
  webhookActivity,
  webhookEvents,
} from './webhooks-api';

interface Ctx {
  state: SandboxState;
  c: SandboxCredential;
  m: RegExpExecArray;
  q: URLSearchParams;
  path: string;
  body: Buffer;
}
interface Route {
  method: string;
  pattern: RegExp;
  scope: string;
  handle(x: Ctx): Reply;
  bucket?: 'persons';
}

const WH_READ = 'personio:webhooks:read';
const WH_WRITE = 'personio:webhooks:write';
const PERSONS = 'personio:persons:read';
const ID = '([^/]+)';

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/v2\/webhooks\/?$/, scope: WH_READ, handle: (x) => listWebhooks(x.state, x.path, x.q) },
  { method: 'POST', pattern: /^\/v2\/webhooks\/?$/, scope: WH_WRITE, handle: (x) => createWebhook(x.state, x.body) },
  { method: 'GET', pattern: new RegExp(`^/v2/webhooks/${ID}/?$`), scope: WH_READ, handle: (x) => getWebhook(x.state, x.m[1]) },
  { method: 'PATCH', pattern: new RegExp(`^/v2/webhooks/${ID}/?$`), scope: WH_WRITE, handle: (x) => patchWebhook(x.state, x.m[1], x.body) },
  { method: 'DELETE', pattern: new RegExp(`^/v2/webhooks/${ID}/?$`), scope: WH_WRITE, handle: (x) => deleteWebhook(x.state, x.m[1]) },
  { method: 'GET', pattern: new RegExp(`^/v2/webhooks/${ID}/events/?$`), scope: WH_READ, handle: (x) => webhookEvents(x.state, x.m[1], x.path, x.q) },
  { method: 'GET', pattern: new RegExp(`^/v2/webhooks/${ID}/activity/?$`), scope: WH_READ, handle: (x) => webhookActivity(x.state, x.m[1], x.path, x.q) },
  { method: 'POST', pattern: new RegExp(`^/v2/webhooks/${ID}/ping/?$`), scope: WH_WRITE, handle: (x) => pingWebhook(x.state, x.m[1]) },
  { method: 'POST', pattern: new RegExp(`^/v2/webhooks/${ID}/test-event/?$`), scope: WH_WRITE, handle: (x) => testEvent(x.state, x.m[1], x.body) },
  { method: 'POST', pattern: new RegExp(`^/v2/webhooks/${ID}/redelivery/?$`), scope: WH_WRITE, handle: (x) => redeliver(x.state, x.m[1], x.body) },
  { method: 'GET', pattern: /^\/v2\/persons\/?$/, scope: PERSONS, bucket: 'persons', handle: (x) => listPersons(x.state, x.c, x.path, x.q) },
  { method: 'GET', pattern: new RegExp(`^/v2/persons/${ID}/?$`), scope: PERSONS, bucket: 'persons', handle: (x) => getPerson(x.state, x.c, x.m[1]) },
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/persons/${ID}/employments/?$`),
    scope: PERSONS,
    bucket: 'persons',
    handle: (x) => listEmployments(x.state, x.c, x.m[1], x.path, x.q),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/persons/${ID}/employments/${ID}/?$`),
    scope: PERSONS,
    bucket: 'persons',
    handle: (x) => getEmployment(x.state, x.c, x.m[1], x.m[2]),
  },
];

/** Serves one `/v2/...` request: token endpoints, then faults, bearer auth, scopes, handler, logging. */
export async function handleV2(state: SandboxState, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const x = await beginExchange(state, req, res, path);
  const { method, finish } = x;
  const f = state.faults;
  if (/^\/v2\/auth\/token\/?$/.test(path) && method === 'POST') {
    const r = await issueV2Token(state, req);
    x.clientId = r.clientId;
    return finish(r.reply);
  }
  if (/^\/v2\/auth\/revoke\/?$/.test(path) && method === 'POST') return finish(await revokeV2Token(state, req));

  let match: RegExpExecArray | null = null;
  const route = ROUTES.find((r) => r.method === method && (match = r.pattern.exec(path)) !== null);
  if (!route || !match) {
    await drain(req);
    return finish(problem(404, { title: 'Not Found', detail: `The endpoint with ${path} was not found.`, _meta: { path } }));
  }
  const body = method === 'POST' || method === 'PATCH' ? await readBody(req).catch(() => Buffer.alloc(0)) : (await drain(req), Buffer.alloc(0));
  if (state.roll(f.resetRate)) {
    x.logReset();
    req.socket.destroy();
    return;
  }
  const auth = state.auth.check(req.headers.authorization, state.clock.now(), false);
  if (!auth.ok || auth.scopes === null) {
    // A v1 token is not a v2 token.
    return finish(problem(401, { title: 'Unauthorized Request', detail: 'The provided access token is missing, invalid or expired.' }));
  }
  x.clientId = auth.credential.clientId;
  if (!auth.scopes.includes(route.scope)) {
    return finish(problem(403, { title: 'Forbidden', detail: `The access token is missing the required scope ${route.scope}.` }));
  }
  if (f.rateLimitBurst > 0) {
    f.rateLimitBurst--;
    return finish(problem(429, { title: 'Too Many Requests', detail: 'Rate limit exceeded.' }));
  }
  let limitHeaders: Record<string, string> = {};
  if (state.options.rateLimits && route.bucket) {
    const b = state.limits[route.bucket];
    const taken = b.take(auth.credential.clientId, state.clock.monotonic());
    limitHeaders = {
      'x-ratelimit-burst-capacity': String(b.capacity),
      'x-ratelimit-replenish-rate': String(b.perSecond),
      'x-ratelimit-requested-tokens': '1',
      'x-ratelimit-remaining': String(taken.remaining),
    };
    if (!taken.ok) return finish({ ...problem(429, { title: 'Too Many Requests', detail: 'Rate limit exceeded.' }), headers: limitHeaders });
  }
  if (state.roll(f.serverErrorRate))
    return finish(
      problem(500, {
        title: 'Internal Server Error',
        detail: 'Internal Server Error',
        type: 'https://developer.personio.de/reference/errors#common.internal_server_error',
      }),
    );
  const reply = route.handle({ state, c: auth.credential, m: match, q: query, path, body });
  finish({ ...reply, headers: { ...reply.headers, ...limitHeaders } });
}
