// The `/_sandbox/...` control API every simulator serves: a JSON mirror of the
// in-process handle for tests that run the simulator in another process. The
// routes every handle has live here; each tool passes its own routes first.
import { IncomingMessage } from 'node:http';
import { Reply, json, readBody } from './http';
import { SimulatorHandle } from './types';

/** A tool's own control routes: a reply, or null when `route` is not one of them. */
export type ControlRoutes = (route: string, body: Record<string, unknown>) => Reply | null | Promise<Reply | null>;

type AnyHandle = SimulatorHandle<object, object, unknown, unknown>;

const ok = () => json(200, { ok: true });

export const COMMON_ENDPOINTS = [
  'GET|PUT|PATCH|DELETE /_sandbox/faults',
  'GET|PUT /_sandbox/clock',
  'POST /_sandbox/clock/advance',
  'GET /_sandbox/employees',
  'DELETE /_sandbox/employees/:id',
  'GET /_sandbox/webhooks',
  'GET|PUT|PATCH /_sandbox/webhook-settings',
  'GET|DELETE /_sandbox/deliveries',
  'POST /_sandbox/deliveries/idle',
  'GET|DELETE /_sandbox/requests',
];

export async function handleControl(
  sb: AnyHandle,
  req: IncomingMessage,
  path: string,
  own: { info: Record<string, unknown>; endpoints: string[]; routes: ControlRoutes },
): Promise<Reply> {
  const method = req.method ?? 'GET';
  const raw = method === 'GET' || method === 'DELETE' ? Buffer.alloc(0) : await readBody(req);
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(400, { error: 'body must be JSON' });
    }
  }
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  const endpoints = [...own.endpoints, ...COMMON_ENDPOINTS];
  try {
    if (route === 'GET /_sandbox') return json(200, { ...own.info, endpoints });
    const reply = (await own.routes(route, body)) ?? (await commonRoute(sb, route, body));
    if (reply) return reply;
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
  return json(404, { error: `no control route ${route}`, endpoints });
}

async function commonRoute(sb: AnyHandle, route: string, body: Record<string, unknown>): Promise<Reply | null> {
  const clock = () => json(200, { now: sb.now().toISOString() });
  let m: RegExpExecArray | null;
  switch (route) {
    case 'GET /_sandbox/faults':
      return json(200, sb.faults());
    case 'PUT /_sandbox/faults':
    case 'PATCH /_sandbox/faults':
      sb.setFaults(body);
      return json(200, sb.faults());
    case 'DELETE /_sandbox/faults':
      sb.resetFaults();
      return json(200, sb.faults());
    case 'GET /_sandbox/clock':
      return clock();
    case 'PUT /_sandbox/clock':
      sb.setClock(new Date(String(body.now)));
      return clock();
    case 'POST /_sandbox/clock/advance':
      sb.advanceClock(Number(body.ms));
      return clock();
    case 'GET /_sandbox/employees':
      return json(200, { ids: sb.employeeIds() });
    case 'GET /_sandbox/webhooks':
      return json(200, sb.webhooks());
    case 'GET /_sandbox/webhook-settings':
      return json(200, sb.webhookSettings());
    case 'PUT /_sandbox/webhook-settings':
    case 'PATCH /_sandbox/webhook-settings':
      sb.setWebhookSettings(body);
      return json(200, sb.webhookSettings());
    case 'GET /_sandbox/deliveries':
      return json(200, sb.deliveries());
    case 'DELETE /_sandbox/deliveries':
      sb.clearDeliveries();
      return ok();
    case 'POST /_sandbox/deliveries/idle':
      await sb.deliveriesIdle(body.timeoutMs === undefined ? undefined : Number(body.timeoutMs));
      return ok();
    case 'GET /_sandbox/requests':
      return json(200, sb.requestLog());
    case 'DELETE /_sandbox/requests':
      sb.clearRequestLog();
      return ok();
  }
  if ((m = /^DELETE \/_sandbox\/employees\/(\d+)$/.exec(route))) {
    sb.remove(Number(m[1]));
    return ok();
  }
  return null;
}
