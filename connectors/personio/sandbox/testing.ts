import { PersonioSandbox, SandboxCredential } from './types';

/** Small fetch helpers for the sandbox's own specs and the benchmark (not a Personio client). */
export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(sb: PersonioSandbox, path: string, init: RequestInit = {}): Promise<Fetched> {
  const res = await fetch(`${sb.url}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

export async function token(sb: PersonioSandbox, c: SandboxCredential = sb.defaultCredential): Promise<string> {
  const r = await call(sb, '/v1/auth', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: c.clientId, client_secret: c.clientSecret }),
  });
  if (r.status !== 200) throw new Error(`auth failed: ${r.status} ${r.text}`);
  return r.json.data.token as string;
}

export function get(sb: PersonioSandbox, path: string, bearer: string): Promise<Fetched> {
  return call(sb, path, { headers: { authorization: `Bearer ${bearer}` } });
}
