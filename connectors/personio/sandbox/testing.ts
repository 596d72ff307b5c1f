import { Fetched, fetchParsed, startReceiver as startKitReceiver, type Receiver } from '../../sandbox-kit/testing';
import { PersonioSandbox, SandboxCredential } from './types';

/** Small fetch helpers for the sandbox's own specs and the benchmark (not a Personio client). */
export type { Fetched, ReceivedDelivery, Receiver } from '../../sandbox-kit/testing';

export function call(sb: PersonioSandbox, path: string, init: RequestInit = {}): Promise<Fetched> {
  return fetchParsed(`${sb.url}${path}`, init);
}

/** A loopback webhook receiver at `/hooks/personio` (see the kit's startReceiver). */
export const startReceiver = (path = '/hooks/personio'): Promise<Receiver> => startKitReceiver(path);

export async function token(sb: PersonioSandbox, c: SandboxCredential = sb.defaultCredential): Promise<string> {
  const r = await call(sb, '/v1/auth', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: c.clientId, client_secret: c.clientSecret }),
  });
  if (r.status !== 200) throw new Error(`auth failed: ${r.status} ${r.text}`);
  return r.json.data.token as string;
}

export function get(sb: PersonioSandbox, path: string, bearer: string): Promise<Fetched> {
  return call(sb, path, { headers: { authorization: `Bearer ${bearer}` } });
}

/** A v2 access token from `POST /v2/auth/token` (form-encoded client-credentials grant). */
export async function v2Token(sb: PersonioSandbox, c: SandboxCredential = sb.defaultCredential, scope?: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
  if (scope) form.set('scope', scope);
  const r = await call(sb, '/v2/auth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  if (r.status !== 200) throw new Error(`v2 auth failed: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

/** A v2 call with a bearer token and an optional JSON body. */
export function v2(sb: PersonioSandbox, method: string, path: string, bearer: string, body?: unknown): Promise<Fetched> {
  const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return call(sb, path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
