// Spec-only (jest hooks; left out of the build like every *.spec-env.ts).
// The BambooHR connector specs' shared setup: one simulator per spec file, a
// connector tuned to its sped-up clock, a context for a key, and a full read.
import type { ConnectorContext, ConnectorLogger } from '../connector';
import type { UnifiedBatch } from '../unified';
import { createBamboohrConnector } from './connector';
import { startBambooHrForTest, type BambooTestSandbox } from './sandbox/testing';
import type { BambooCredentials } from './types';

export const connector = createBamboohrConnector({ client: { timeScale: 1000, retry: { maxAttempts: 6 } }, pageSize: 7 });

export const sorted = (ids: Array<string | number>) => ids.map(String).sort();

/** Starts the simulator (20 employees) before the file's tests, resets faults and warnings before each. */
export interface BambooEnv {
  sb: BambooTestSandbox;
  warnings: string[];
  ctxFor(apiKey?: string, extra?: Partial<ConnectorContext<BambooCredentials>>): ConnectorContext<BambooCredentials>;
  readAll(
    ctx: ConnectorContext<BambooCredentials>,
    since?: Date,
    vanished?: Array<{ employees: string[] }>,
  ): Promise<{
    batches: UnifiedBatch[];
    employees: UnifiedBatch['employees'];
    employments: UnifiedBatch['employments'];
  }>;
}

export function useBambooEnv(): BambooEnv {
  const logger: ConnectorLogger = { debug() {}, info() {}, warn: (_o, m) => env.warnings.push(m), error: (_o, m) => env.warnings.push(m) };
  const env: BambooEnv = {
    sb: undefined as unknown as BambooTestSandbox,
    warnings: [] as string[],
    ctxFor(apiKey = env.sb.apiKey, extra: Partial<ConnectorContext<BambooCredentials>> = {}): ConnectorContext<BambooCredentials> {
      return {
        credentials: { companyDomain: env.sb.company, apiKey },
        baseUrl: env.sb.url,
        logger,
        signal: new AbortController().signal,
        now: () => env.sb.sandbox.now(),
        settings: {},
        ...extra,
      };
    },
    async readAll(ctx: ConnectorContext<BambooCredentials>, since?: Date, vanished: Array<{ employees: string[] }> = []) {
      const batches: UnifiedBatch[] = [];
      for await (const b of connector.read(ctx, { since, onVanished: (v) => vanished.push(v) })) batches.push(b);
      return { batches, employees: batches.flatMap((b) => b.employees), employments: batches.flatMap((b) => b.employments) };
    },
  };
  beforeAll(async () => {
    env.sb = await startBambooHrForTest({ employees: 20 });
  });
  afterAll(async () => {
    await env.sb?.close();
  });
  beforeEach(() => {
    env.sb.sandbox.resetFaults();
    env.warnings = [];
  });
  return env;
}
