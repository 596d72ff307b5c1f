// Spec-only (jest hooks; left out of the build like every *.spec-env.ts).
// The BambooHR client specs' shared setup: a scripted stub server that records every request,
// a logger that keeps what it was told (to look for the key), a client and a connector context
// pointed at the stub.
import { ConnectorContext, ConnectorLogger } from '../connector';
import { resetSharedLimiters } from '../http/limiter';
import { useStubServer, type Seen, type StubAnswer } from '../http/stub-server.spec-env';
import { BambooClient } from './client';
import type { BambooCredentials } from './types';

export const KEY = 'k3y-0123456789abcdef0123456789abcdef';

export interface BambooStub {
  /** Requests the stub saw since the test began (tests may reset it). */
  seen: Seen[];
  /** How the stub answers; each test sets its own. */
  handler: (req: Seen) => StubAnswer;
  logs: string[];
  readonly origin: string;
  client(): BambooClient;
  ctx(): ConnectorContext<BambooCredentials>;
}

/** Starts the stub before the spec file's tests; clears requests, logs and shared limiters before each. */
export function useBambooStub(): BambooStub {
  const logger: ConnectorLogger = {
    debug: (o) => t.logs.push(JSON.stringify(o)),
    info: (o) => t.logs.push(JSON.stringify(o)),
    warn: (o, m) => t.logs.push(m + JSON.stringify(o)),
    error: (o) => t.logs.push(JSON.stringify(o)),
  };
  const stub = useStubServer((s) => {
    t.seen.push(s);
    return t.handler(s);
  });
  const t: BambooStub = {
    seen: [],
    handler: () => ({ status: 500 }),
    logs: [],
    get origin() {
      return stub.origin;
    },
    client: () =>
      new BambooClient({ credentials: { companyDomain: 'acme', apiKey: KEY }, baseUrl: `${stub.origin}/`, logger, timeScale: 1000, retry: { maxAttempts: 3 } }),
    ctx: () => ({
      credentials: { companyDomain: 'acme', apiKey: KEY },
      baseUrl: stub.origin,
      logger,
      signal: new AbortController().signal,
      now: () => new Date('2026-11-30T10:00:00Z'),
      settings: {},
    }),
  };
  beforeEach(() => {
    t.seen = [];
    t.logs = [];
    resetSharedLimiters();
  });
  return t;
}
