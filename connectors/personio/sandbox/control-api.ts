import { IncomingMessage } from 'node:http';
import { ControlRoutes, handleControl as handleKitControl } from '../../sandbox-kit/control';
import { Reply, json } from './http-util';
import { PersonioSandbox, SandboxCredential } from './types';

/**
 * `/_sandbox/...`: JSON mirror of the in-process API for tests that run the sandbox in another
 * process (e.g. `npm run sandbox:personio`). Not part of Personio's surface. The routes every
 * simulator has (faults, clock, webhooks, deliveries, requests) are the kit's.
 */
export function handleControl(sb: PersonioSandbox, req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
  return handleKitControl(sb, req, path, { info: { url: sb.url }, endpoints: ENDPOINTS, routes: personioRoutes(sb, query) });
}

const ok = () => json(200, { ok: true });

const personioRoutes =
  (sb: PersonioSandbox, query: URLSearchParams): ControlRoutes =>
  async (route, body) => {
    const id = (m: RegExpExecArray) => Number(m[1]);
    let m: RegExpExecArray | null;
    if (route === 'GET /_sandbox/credentials/default') return json(200, sb.defaultCredential);
    if (route === 'POST /_sandbox/credentials') return json(201, sb.addCredential(body as Partial<SandboxCredential>));
    if ((m = /^PUT \/_sandbox\/credentials\/([^/]+)\/whitelist$/.exec(route))) {
      sb.setWhitelist(decodeURIComponent(m[1]), body.attributes as string[] | 'all', body.scopes as string[] | undefined);
      return ok();
    }
    if (route === 'POST /_sandbox/employees') return json(201, sb.hire((body.overrides ?? body) as Record<string, unknown>));
    if ((m = /^GET \/_sandbox\/employees\/(\d+)$/.exec(route))) return json(200, sb.employeeRaw(id(m), query.get('clientId') ?? undefined));
    if ((m = /^PATCH \/_sandbox\/employees\/(\d+)$/.exec(route))) {
      sb.change(id(m), (body.changes ?? body) as Record<string, unknown>);
      return ok();
    }
    if ((m = /^POST \/_sandbox\/employees\/(\d+)\/terminate$/.exec(route))) {
      sb.terminate(id(m), String(body.terminationDate));
      return ok();
    }
    if (route === 'POST /_sandbox/document-categories') return json(201, sb.addDocumentCategory(String(body.name)));
    if (route === 'GET /_sandbox/documents') {
      return json(
        200,
        sb.uploadedDocuments().map(({ bytes, ...meta }) => ({ ...meta, size: bytes.length })),
      );
    }
    if ((m = /^GET \/_sandbox\/documents\/(\d+)\/file$/.exec(route))) {
      const doc = sb.uploadedDocuments().find((d) => d.id === id(m!));
      if (!doc) return json(404, { error: 'no such document' });
      return { status: 200, body: doc.bytes, contentType: doc.contentType || 'application/octet-stream' };
    }
    if ((m = /^GET \/_sandbox\/employees\/(\d+)\/employment$/.exec(route))) return json(200, { id: sb.employmentId(id(m)) });
    if (route === 'GET /_sandbox/events') return json(200, sb.events());
    if (route === 'POST /_sandbox/events') {
      const at = body.occurred_at === undefined ? undefined : new Date(String(body.occurred_at));
      return json(201, sb.publishEvent(String(body.event_name), (body.payload ?? {}) as Record<string, unknown>, at));
    }
    return null;
  };

const ENDPOINTS = [
  'GET /_sandbox/credentials/default',
  'POST /_sandbox/credentials',
  'PUT /_sandbox/credentials/:clientId/whitelist',
  'POST /_sandbox/employees',
  'GET|PATCH /_sandbox/employees/:id',
  'POST /_sandbox/employees/:id/terminate',
  'POST /_sandbox/document-categories',
  'GET /_sandbox/documents',
  'GET /_sandbox/documents/:id/file',
  'GET /_sandbox/employees/:id/employment',
  'GET|POST /_sandbox/events',
];
