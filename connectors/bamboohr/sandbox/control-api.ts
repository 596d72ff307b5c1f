import { IncomingMessage } from 'node:http';
import { ControlRoutes, handleControl as handleKitControl } from '../../sandbox-kit/control';
import { Reply, json } from './http';
import { ApiKey, BambooSandbox, BehaviourSwitches, RateLimitSettings, TableName } from './types';

/**
 * `/_sandbox/...`: JSON mirror of the in-process handle for tests that run the sandbox in another
 * process (`npm run sandbox:bamboohr`). Not part of BambooHR's surface; no auth. The routes every
 * simulator has (faults, clock, webhooks, deliveries, requests) are the kit's.
 */
export function handleControl(sb: BambooSandbox, req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
  const info = { url: sb.url, company: sb.company, baseUrl: sb.baseUrl, gatewayBaseUrl: sb.gatewayBaseUrl };
  return handleKitControl(sb, req, path, { info, endpoints: ENDPOINTS, routes: bambooRoutes(sb, query) });
}

const ok = () => json(200, { ok: true });

const bambooRoutes =
  (sb: BambooSandbox, query: URLSearchParams): ControlRoutes =>
  (route, body) => {
    let m: RegExpExecArray | null;
    const table = (s: string) => s as TableName;
    if (route === 'POST /_sandbox/api-keys') return json(201, sb.addApiKey(body as Partial<ApiKey>));
    if ((m = /^DELETE \/_sandbox\/api-keys\/([^/]+)$/.exec(route))) {
      sb.revokeApiKey(decodeURIComponent(m[1]));
      return ok();
    }
    if (route === 'GET /_sandbox/switches') return json(200, sb.switches());
    if (route === 'PUT /_sandbox/switches' || route === 'PATCH /_sandbox/switches') {
      sb.setSwitches(body as Partial<BehaviourSwitches>);
      return json(200, sb.switches());
    }
    if (route === 'PUT /_sandbox/rate-limit') {
      sb.setRateLimit(body.enabled === false ? false : (body as unknown as RateLimitSettings));
      return ok();
    }
    if (route === 'POST /_sandbox/employees') return json(201, sb.hire((body.fields ?? body) as Record<string, unknown>));
    if ((m = /^GET \/_sandbox\/employees\/(\d+)$/.exec(route))) return json(200, sb.employee(Number(m[1]), query.get('onlyCurrent') !== 'false'));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.update(Number(m[1]), (body.fields ?? body) as Record<string, unknown>);
      return ok();
    }
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/terminate$/.exec(route))) {
      return json(201, sb.terminate(Number(m[1]), String(body.date), body as { reason?: string; type?: string; inactive?: boolean }));
    }
    if ((m = /^GET \/_sandbox\/employees\/(\d+)\/tables\/(\w+)$/.exec(route))) return json(200, sb.tableRows(Number(m[1]), table(m[2])));
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/tables\/(\w+)$/.exec(route))) return json(201, sb.addTableRow(Number(m[1]), table(m[2]), body));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)\/tables\/(\w+)\/(\d+)$/.exec(route))) {
      sb.updateTableRow(Number(m[1]), table(m[2]), Number(m[3]), body);
      return ok();
    }
    if ((m = /^DELETE \/_sandbox\/employees\/(\d+)\/tables\/(\w+)\/(\d+)$/.exec(route))) {
      sb.removeTableRow(Number(m[1]), table(m[2]), Number(m[3]));
      return ok();
    }
    if (route === 'GET /_sandbox/file-categories') return json(200, sb.fileCategories());
    if (route === 'POST /_sandbox/file-categories') return json(201, sb.addFileCategory(String(body.name), body.canUploadFiles !== false));
    if (route === 'GET /_sandbox/files')
      return json(
        200,
        sb.files().map(({ bytes, ...meta }) => ({ ...meta, size: bytes.length })),
      );
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
    return null;
  };

const ENDPOINTS = [
  'POST /_sandbox/api-keys',
  'DELETE /_sandbox/api-keys/:key',
  'GET|PUT|PATCH /_sandbox/switches',
  'PUT /_sandbox/rate-limit',
  'POST /_sandbox/employees',
  'GET|PATCH /_sandbox/employees/:id',
  'POST /_sandbox/employees/:id/terminate',
  'GET|POST /_sandbox/employees/:id/tables/:table',
  'PATCH|DELETE /_sandbox/employees/:id/tables/:table/:rowId',
  'GET|POST /_sandbox/file-categories',
  'GET /_sandbox/files',
  'GET /_sandbox/files/:id',
  'GET|POST /_sandbox/training-types',
  'GET /_sandbox/training-records?employeeId=',
];
