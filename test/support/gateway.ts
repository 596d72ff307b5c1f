import { Writable } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGateway, Gateway } from '../../src/bootstrap';
import { createLogger, setRootLogger } from '../../src/common/logger';
import { Env, GatewayConfig, loadConfig, loadToolSettings } from '../../src/config/config';
import type { ConnectorMap } from '../../src/integrations/connector-registry';
import { createTestDatabase } from './database';
import { checkResponsesAgainstOpenApi } from './openapi-responses';

export interface TestGateway extends Gateway {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The API key of the default environment. */
  apiKey: string;
  environmentId: string;
  /** Every log line written since this gateway started. */
  logs(): string[];
}

/** Captured log lines of every gateway started in this test file. */
const captured: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    captured.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  },
});

/**
 * Starts a real gateway on a fresh database (DATABASE_URL's server, or embedded
 * PGlite in memory), listening on a random port, with logs captured for inspection.
 * The configuration is loaded from `env` (never this process's environment), then
 * the fields given override it.
 */
export async function startTestGateway(
  { env = {}, ...overrides }: Partial<GatewayConfig> & { env?: Env } = {},
  opts: { connectors?: ConnectorMap } = {},
): Promise<TestGateway> {
  setRootLogger(createLogger(process.env.TEST_LOG_LEVEL ?? 'debug', sink));
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hgw-test-'));
  const config: GatewayConfig = {
    ...loadConfig(env),
    port: 0,
    host: '127.0.0.1',
    databaseUrl: db?.url ?? null,
    dataDir,
    rateLimitPerMinute: 0,
    allowPrivateNetworkTargets: true,
    metricsPublic: true,
    // Test connectors' settings (none are set in the environment of a test).
    ...(opts.connectors ? { toolSettings: loadToolSettings(env, opts.connectors) } : {}),
    ...overrides,
  };
  const from = captured.length;
  let gw: Gateway;
  try {
    gw = await createGateway(config, { inMemory: true, connectors: opts.connectors });
  } catch (e) {
    await db?.drop();
    throw e;
  }
  // Every response of a documented route is checked against openapi/openapi.json.
  checkResponsesAgainstOpenApi(gw.app.getHttpServer());
  const address = gw.app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  config.publicUrl = url;
  if (!gw.firstKey) throw new Error('a fresh test database must produce a first key');
  const close = gw.close.bind(gw);
  return {
    ...gw,
    url,
    apiKey: gw.firstKey.key,
    environmentId: gw.firstKey.environmentId,
    logs: () => captured.slice(from),
    async close() {
      await close();
      await db?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
