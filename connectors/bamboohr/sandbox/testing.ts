import { Fetched, fetchParsed } from '../../sandbox-kit/testing';
import { startBambooSandbox } from './sandbox';
import { BambooSandbox, BambooSandboxOptions } from './types';

/** `Authorization` value for an API key: the key is the Basic user name, the password is ignored (`x` by convention). */
export const basicAuth = (apiKey: string): string => `Basic ${Buffer.from(`${apiKey}:x`).toString('base64')}`;

export interface BambooTestSandbox {
  /** `http://127.0.0.1:PORT` */
  url: string;
  company: string;
  apiKey: string;
  /** `${url}/api/v1` and `${url}/api/gateway.php/${company}/v1`. */
  baseUrl: string;
  gatewayBaseUrl: string;
  /** Handle to mutate state (hire, tables, clock, faults, switches …). */
  sandbox: BambooSandbox;
  close(): Promise<void>;
}

/**
 * Starts a sandbox on a free port for a test; defaults keep tests quick and quiet: 20 employees,
 * a fixed clock start (2026-11-30T10:00Z, so generated dates are stable) and no rate limit.
 */
export async function startBambooHrForTest(opts: BambooSandboxOptions = {}): Promise<BambooTestSandbox> {
  const sandbox = await startBambooSandbox({ employees: 20, now: new Date('2026-11-30T10:00:00Z'), rateLimit: false, ...opts, port: opts.port ?? 0 });
  return {
    url: sandbox.url,
    company: sandbox.company,
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.baseUrl,
    gatewayBaseUrl: sandbox.gatewayBaseUrl,
    sandbox,
    close: () => sandbox.close(),
  };
}

export type { Fetched } from '../../sandbox-kit/testing';

/**
 * A call with Basic auth (the sandbox's own specs; not a BambooHR client). `path` is relative to
 * `/api/v1`; JSON is asked for unless `accept` says otherwise.
 */
export async function bamboo(
  sb: { url: string; apiKey: string } | BambooSandbox,
  path: string,
  init: { method?: string; key?: string | null; accept?: string | null; body?: unknown; base?: string; headers?: Record<string, string> } = {},
): Promise<Fetched> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? sb.apiKey : init.key;
  if (key !== null) headers.authorization = basicAuth(key);
  const accept = init.accept === undefined ? 'application/json' : init.accept;
  if (accept !== null) headers.accept = accept;
  let body: BodyInit | undefined;
  if (init.body instanceof FormData) body = init.body;
  else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  return fetchParsed(`${init.base ?? `${sb.url}/api/v1`}${path}`, { method: init.method ?? 'GET', headers, body });
}
