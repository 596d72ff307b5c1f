// Spec-only (jest hooks; left out of the build like every *.spec-env.ts).
// The Personio connector specs' shared setup: one sandbox per spec file, a
// connector tuned to its sped-up clock, a fresh context per credential, a full read.
import type { ConnectorContext, ConnectorLogger } from '../connector';
import type { UnifiedBatch } from '../unified';
import { createPersonioConnector } from './connector';
import { startPersonioSandbox, type PersonioSandbox, type SandboxCredential } from './sandbox';
import type { PersonioCredentials } from './types';

export const TIME_SCALE = 60; // the sandbox's minute lasts one real second; the client scales its waits alike
export const connector = createPersonioConnector({ client: { timeScale: TIME_SCALE, retry: { maxAttempts: 8 } } });

export interface PersonioEnv {
  sb: PersonioSandbox;
  /** What the connector logged during the current test, one JSON line per call. */
  logLines: string[];
  /** A fresh credential per test keeps token caches and limiter budgets apart. */
  ctxFor(c?: SandboxCredential, extra?: Partial<ConnectorContext<PersonioCredentials>>): ConnectorContext<PersonioCredentials>;
  readAll(ctx: ConnectorContext<PersonioCredentials>, since?: Date): Promise<{ batches: UnifiedBatch[]; ids: string[] }>;
  expectedIds(): string[];
  authCalls(clientId: string): number;
}

/** Starts the sandbox (230 employees) before the file's tests, resets faults and log lines before each. */
export function usePersonioEnv(): PersonioEnv {
  const log = (o: object, m: string) => env.logLines.push(JSON.stringify({ ...o, m }));
  const logger: ConnectorLogger = { debug: log, info: log, warn: log, error: log };
  const env: PersonioEnv = {
    sb: undefined as unknown as PersonioSandbox,
    logLines: [],
    ctxFor(c = env.sb.addCredential(), extra = {}) {
      return {
        credentials: { clientId: c.clientId, clientSecret: c.clientSecret },
        baseUrl: env.sb.url,
        logger,
        signal: new AbortController().signal,
        now: () => env.sb.now(),
        settings: {},
        ...extra,
      };
    },
    async readAll(ctx, since) {
      const batches: UnifiedBatch[] = [];
      for await (const b of connector.read(ctx, { since })) batches.push(b);
      const ids = batches.flatMap((b) => b.employees.map((e) => e.remote_id));
      return { batches, ids };
    },
    expectedIds: () => env.sb.employeeIds().map(String).sort(),
    authCalls: (clientId) => env.sb.requestLog().filter((r) => r.path === '/v1/auth' && r.clientId === clientId).length,
  };
  beforeAll(async () => {
    env.sb = await startPersonioSandbox({ employees: 230, seed: 7, timeScale: TIME_SCALE });
  });
  afterAll(async () => {
    await env.sb?.close();
  });
  beforeEach(() => {
    env.sb.resetFaults();
    env.logLines = [];
  });
  return env;
}

export const unique = (ids: string[]) => expect(new Set(ids).size).toBe(ids.length);
