import { IncomingMessage } from 'node:http';
import { readBody } from '../../personio/sandbox/http-util';
import { Reply, json } from './http';
import { ApiKey, BambooSandbox, BehaviourSwitches, RateLimitSettings, SandboxFaults, TableName, WebhookSettings } from './types';

/**
 * `/_sandbox/...`: JSON mirror of the in-process handle for tests that run the sandbox in another
 * process (`npm run sandbox:bamboohr`). Not part of BambooHR's surface; no auth.
 */
export async function handleControl(sb: BambooSandbox, req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
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
  let m: RegExpExecArray | null;
  const table = (s: string) => s as TableName;
  try {
    if (route === 'GET /_sandbox') {
      return json(200, { url: sb.url, company: sb.company, baseUrl: sb.baseUrl, gatewayBaseUrl: sb.gatewayBaseUrl, endpoints: ENDPOINTS });
    }
    if (route === 'POST /_sandbox/api-keys') return json(201, sb.addApiKey(body as Partial<ApiKey>));
    if ((m = /^DELETE \/_sandbox\/api-keys\/([^/]+)$/.exec(route))) {
      sb.revokeApiKey(decodeURIComponent(m[1]));
      return json(200, { ok: true });
    }
    if (route === 'GET /_sandbox/switches') return json(200, sb.switches());
    if (route === 'PUT /_sandbox/switches' || route === 'PATCH /_sandbox/switches') {
      sb.setSwitches(body as Partial<BehaviourSwitches>);
      return json(200, sb.switches());
    }
    if (route === 'PUT /_sandbox/rate-limit') {
      sb.setRateLimit(body.enabled === false ? false : (body as unknown as RateLimitSettings));
      return json(200, { ok: true });
    }
    if (route === 'GET /_sandbox/faults') return json(200, sb.faults());
    if (route === 'PUT /_sandbox/faults' || route === 'PATCH /_sandbox/faults') {
      sb.setFaults(body as Partial<SandboxFaults>);
      return json(200, sb.faults());
    }
    if (route === 'DELETE /_sandbox/faults') {
      sb.resetFaults();
      return json(200, sb.faults());
    }
    if (route === 'GET /_sandbox/clock') return json(200, { now: sb.now().toISOString() });
    if (route === 'PUT /_sandbox/clock') {
      sb.setClock(new Date(String(body.now)));
      return json(200, { now: sb.now().toISOString() });
    }
    if (route === 'POST /_sandbox/clock/advance') {
      sb.advanceClock(Number(body.ms));
      return json(200, { now: sb.now().toISOString() });
    }
    if (route === 'GET /_sandbox/employees') return json(200, { ids: sb.employeeIds() });
    if (route === 'POST /_sandbox/employees') return json(201, sb.hire((body.fields ?? body) as Record<string, unknown>));
    if ((m = /^GET \/_sandbox\/employees\/(\d+)$/.exec(route))) return json(200, sb.employee(Number(m[1]), query.get('onlyCurrent') !== 'false'));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.update(Number(m[1]), (body.fields ?? body) as Record<string, unknown>);
      return json(200, { ok: true });
    }
    if ((m = /^DELETE \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.remove(Number(m[1]));
      return json(200, { ok: true });
    }
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/terminate$/.exec(route))) {
      return json(201, sb.terminate(Number(m[1]), String(body.date), body as { reason?: string; type?: string; inactive?: boolean }));
    }
    if ((m = /^GET \/_sandbox\/employees\/(\d+)\/tables\/(\w+)$/.exec(route))) return json(200, sb.tableRows(Number(m[1]), table(m[2])));
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/tables\/(\w+)$/.exec(route))) return json(201, sb.addTableRow(Number(m[1]), table(m[2]), body));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)\/tables\/(\w+)\/(\d+)$/.exec(route))) {
      sb.updateTableRow(Number(m[1]), table(m[2]), Number(m[3]), body);
      return json(200, { ok: true });
    }
    if ((m = /^DELETE \/_sandbox\/employees\/(\d+)\/tables\/(\w+)\/(\d+)$/.exec(route))) {
      sb.removeTableRow(Number(m[1]), table(m[2]), Number(m[3]));
      return json(200, { ok: true });
    }
    if (route === 'GET /_sandbox/file-categories') return json(200, sb.fileCategories());
    if (route === 'POST /_sandbox/file-categories') return json(201, sb.addFileCategory(String(body.name), body.canUploadFiles !== false));
    if (route === 'GET /_sandbox/files') return json(200, sb.files().map(({ bytes, ...meta }) => ({ ...meta, size: bytes.length })));
    if ((m = /^GET \/_sandbox\/files\/(\d+)$/.exec(route))) {
      const f = sb.files().find((x) => x.id === Number(m![1]));
      if (!f) return json(404, { error: 'no such file' });
      return { status: 200, body: f.bytes, contentType: f.contentType || 'application/octet-stream' };
    }
    if (route === 'GET /_sandbox/training-types') return json(200, sb.trainingTypes());
    if (route === 'POST /_sandbox/training-types') return json(201, sb.addTrainingType(body as { name: string }));
    if (route === 'GET /_sandbox/training-records') {
      const e = query.get('employeeId');
      return json(200, sb.trainingRecords(e === null ? undefined : Number(e)));
    }
    if (route === 'GET /_sandbox/webhooks') return json(200, sb.webhooks());
    if (route === 'GET /_sandbox/webhook-settings') return json(200, sb.webhookSettings());
    if (route === 'PUT /_sandbox/webhook-settings' || route === 'PATCH /_sandbox/webhook-settings') {
      sb.setWebhookSettings(body as Partial<WebhookSettings>);
      return json(200, sb.webhookSettings());
    }
    if (route === 'GET /_sandbox/deliveries') return json(200, sb.deliveries());
    if (route === 'DELETE /_sandbox/deliveries') {
      sb.clearDeliveries();
      return json(200, { ok: true });
    }
    if (route === 'POST /_sandbox/deliveries/idle') {
      await sb.deliveriesIdle(body.timeoutMs === undefined ? undefined : Number(body.timeoutMs));
      return json(200, { ok: true });
    }
    if (route === 'GET /_sandbox/requests') return json(200, sb.requestLog());
    if (route === 'DELETE /_sandbox/requests') {
      sb.clearRequestLog();
      return json(200, { ok: true });
    }
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
  return json(404, { error: `no control route ${route}`, endpoints: ENDPOINTS });
}

const ENDPOINTS = [
  'POST /_sandbox/api-keys', 'DELETE /_sandbox/api-keys/:key', 'GET|PUT|PATCH /_sandbox/switches', 'PUT /_sandbox/rate-limit',
  'GET|PUT|PATCH|DELETE /_sandbox/faults', 'GET|PUT /_sandbox/clock', 'POST /_sandbox/clock/advance',
  'GET|POST /_sandbox/employees', 'GET|PATCH|DELETE /_sandbox/employees/:id', 'POST /_sandbox/employees/:id/terminate',
  'GET|POST /_sandbox/employees/:id/tables/:table', 'PATCH|DELETE /_sandbox/employees/:id/tables/:table/:rowId',
  'GET|POST /_sandbox/file-categories', 'GET /_sandbox/files', 'GET /_sandbox/files/:id',
  'GET|POST /_sandbox/training-types', 'GET /_sandbox/training-records?employeeId=', 'GET|DELETE /_sandbox/requests',
  'GET /_sandbox/webhooks', 'GET|PUT|PATCH /_sandbox/webhook-settings', 'GET|DELETE /_sandbox/deliveries', 'POST /_sandbox/deliveries/idle',
];
