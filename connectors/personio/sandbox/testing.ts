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

export interface ReceivedDelivery { at: number; headers: Record<string, string | string[] | undefined>; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A loopback webhook receiver. `respond` decides per request (1-based count): a status, or 'hang'
 * to never answer (the sandbox must time out). Default: 200.
 */
export interface Receiver {
  url: string;
  received: ReceivedDelivery[];
  respond: (n: number, body: any) => number | 'hang' | { status: number; delayMs?: number; headers?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks/personio'): Promise<Receiver> {
  const { createServer } = await import('node:http');
  let waiters: Array<() => boolean> = [];
  const sockets = new Set<import('node:net').Socket>();
  const rec: Receiver = {
    url: '', received: [], respond: () => 200,
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${rec.received.length} of ${count} requests`)), timeoutMs);
        const check = () => {
          if (rec.received.length >= count) {
            clearTimeout(t);
            resolve(rec.received.slice());
            return true;
          }
          return false;
        };
        if (!check()) waiters.push(check);
      });
    },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      rec.received.push({ at: Date.now(), headers: req.headers, body });
      const answer = rec.respond(rec.received.length, body);
      waiters = waiters.filter((w) => !w());
      if (answer === 'hang') return;
      const a = typeof answer === 'number' ? { status: answer } : answer;
      const send = () => {
        res.writeHead(a.status, a.headers);
        res.end();
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rec.url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}${path}`;
  return rec;
}
