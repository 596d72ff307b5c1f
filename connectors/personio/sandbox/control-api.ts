import { IncomingMessage } from 'node:http';
import { Reply, json, readBody } from './http-util';
import { PersonioSandbox, SandboxCredential, SandboxFaults, WebhookSettings } from './types';

/**
 * `/_sandbox/...`: JSON mirror of the in-process API for tests that run the sandbox in another
 * process (e.g. `npm run sandbox:personio`). Not part of Personio's surface.
 */
export async function handleControl(sb: PersonioSandbox, req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
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
  const id = (m: RegExpExecArray) => Number(m[1]);
  let m: RegExpExecArray | null;
  try {
    if (route === 'GET /_sandbox') return json(200, { url: sb.url, endpoints: ENDPOINTS });
    if (route === 'GET /_sandbox/credentials/default') return json(200, sb.defaultCredential);
    if (route === 'POST /_sandbox/credentials') return json(201, sb.addCredential(body as Partial<SandboxCredential>));
    if ((m = /^PUT \/_sandbox\/credentials\/([^/]+)\/whitelist$/.exec(route))) {
      sb.setWhitelist(decodeURIComponent(m[1]), body.attributes as string[] | 'all', body.scopes as string[] | undefined);
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
    if (route === 'POST /_sandbox/employees') return json(201, sb.hire((body.overrides ?? body) as Record<string, unknown>));
    if ((m = /^GET \/_sandbox\/employees\/(\d+)$/.exec(route))) return json(200, sb.employeeRaw(id(m), query.get('clientId') ?? undefined));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.change(id(m), (body.changes ?? body) as Record<string, unknown>);
      return json(200, { ok: true });
    }
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/terminate$/.exec(route))) {
      sb.terminate(id(m), String(body.terminationDate));
      return json(200, { ok: true });
    }
    if ((m = /^DELETE \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.remove(id(m));
      return json(200, { ok: true });
    }
    if (route === 'POST /_sandbox/document-categories') return json(201, sb.addDocumentCategory(String(body.name)));
    if (route === 'GET /_sandbox/documents') {
      return json(200, sb.uploadedDocuments().map(({ bytes, ...meta }) => ({ ...meta, size: bytes.length })));
    }
    if ((m = /^GET \/_sandbox\/documents\/(\d+)\/file$/.exec(route))) {
      const doc = sb.uploadedDocuments().find((d) => d.id === id(m!));
      if (!doc) return json(404, { error: 'no such document' });
      return { status: 200, body: doc.bytes, contentType: doc.contentType || 'application/octet-stream' };
    }
    if ((m = /^GET \/_sandbox\/employees\/(\d+)\/employment$/.exec(route))) return json(200, { id: sb.employmentId(id(m)) });
    if (route === 'GET /_sandbox/webhooks') return json(200, sb.webhooks());
    if (route === 'GET /_sandbox/webhook-settings') return json(200, sb.webhookSettings());
    if (route === 'PUT /_sandbox/webhook-settings' || route === 'PATCH /_sandbox/webhook-settings') {
      sb.setWebhookSettings(body as Partial<WebhookSettings>);
      return json(200, sb.webhookSettings());
    }
    if (route === 'GET /_sandbox/events') return json(200, sb.events());
    if (route === 'POST /_sandbox/events') {
      const at = body.occurred_at === undefined ? undefined : new Date(String(body.occurred_at));
      return json(201, sb.publishEvent(String(body.event_name), (body.payload ?? {}) as Record<string, unknown>, at));
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
  'GET /_sandbox/credentials/default', 'POST /_sandbox/credentials', 'PUT /_sandbox/credentials/:clientId/whitelist',
  'GET|PUT|DELETE /_sandbox/faults', 'GET|PUT /_sandbox/clock', 'POST /_sandbox/clock/advance',
  'GET|POST /_sandbox/employees', 'GET|PATCH|DELETE /_sandbox/employees/:id', 'POST /_sandbox/employees/:id/terminate',
  'POST /_sandbox/document-categories', 'GET /_sandbox/documents', 'GET /_sandbox/documents/:id/file',
  'GET|DELETE /_sandbox/requests', 'GET /_sandbox/employees/:id/employment', 'GET /_sandbox/webhooks',
  'GET|PUT|PATCH /_sandbox/webhook-settings', 'GET|POST /_sandbox/events', 'GET|DELETE /_sandbox/deliveries', 'POST /_sandbox/deliveries/idle',
];
