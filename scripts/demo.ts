// `npm run demo`: the Personio simulator with a few hundred employees, the gateway on
// an in-memory embedded database and pointed at the simulator, a connected integration
// and its first sync — then prints an API key, the integration id, curl lines to try and
// what to type on a connect page. Ctrl-C stops it all.
import { parseArgs } from 'node:util';
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import type { PersonioSandbox } from '../connectors/personio/sandbox/types';
import { createGateway, Gateway } from '../src/bootstrap';
import { createLogger, setRootLogger } from '../src/common/logger';
import { Env, loadConfig, logLevel } from '../src/config/config';
import { SyncService } from '../src/sync/sync.service';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';

export interface DemoOptions {
  employees: number;
  /** The simulator's port; 0 picks a free one. */
  sandboxPort: number;
  /** Environment the gateway's configuration is read from (PORT, HOST, …). */
  env?: Env;
}

export interface Demo {
  sandbox: PersonioSandbox;
  gw: Gateway;
  url: string;
  key: string;
  integrationId: string;
  syncId: string;
  close(): Promise<void>;
}

/** Starts the simulator and a gateway whose Personio integrations (and connect links) talk to it. */
export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const sandbox = await startPersonioSandbox({ employees: opts.employees, seed: 42, port: opts.sandboxPort });
  // The simulator is the Personio of this gateway, through the same setting an operator
  // would use (PERSONIO_BASE_URL), so links made here test credentials against it too.
  // It lives on loopback, which the SSRF policy refuses unless told otherwise.
  const config = { ...loadConfig({ ...(opts.env ?? process.env), PERSONIO_BASE_URL: sandbox.url, ALLOW_PRIVATE_NETWORK_TARGETS: 'true' }), databaseUrl: null };
  let gw: Gateway;
  try {
    gw = await createGateway(config, { inMemory: true });
  } catch (e) {
    await sandbox.close();
    throw e;
  }
  const port = (gw.app.getHttpServer().address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  config.publicUrl = url;
  const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, config, {
    environment: gw.firstKey!.environmentId,
    tool: 'personio',
    organization: 'ACME Demo GmbH',
    credentials: { clientId: sandbox.defaultCredential.clientId, clientSecret: sandbox.defaultCredential.clientSecret },
  });
  return {
    sandbox,
    gw,
    url,
    key: gw.firstKey!.key,
    integrationId: integration.id,
    syncId,
    async close() {
      await gw.close();
      await sandbox.close();
    },
  };
}

/** `--sandbox-port <n>` (default 0: a free port) and `--employees <n>` (default DEMO_EMPLOYEES or 300). */
export function parseDemoArgs(argv: string[], env: Env = process.env): Omit<DemoOptions, 'env'> {
  const { values } = parseArgs({ args: argv, options: { 'sandbox-port': { type: 'string' }, employees: { type: 'string' } } });
  const int = (name: string, raw: string | undefined, def: number, max: number) => {
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
    return n;
  };
  return {
    sandboxPort: int('--sandbox-port', values['sandbox-port'], 0, 65535),
    employees: int('--employees', values.employees ?? env.DEMO_EMPLOYEES, 300, 1_000_000),
  };
}

async function main(): Promise<void> {
  const opts = parseDemoArgs(process.argv.slice(2));
  setRootLogger(createLogger(logLevel(process.env, 'warn')));
  const demo = await startDemo(opts);
  const { sandbox, url, key, integrationId, syncId } = demo;
  process.stdout.write(
    `Personio simulator with ${opts.employees} employees at ${sandbox.url} (the gateway's PERSONIO_BASE_URL)\nGateway at ${url}; first sync ${syncId} running…\n`,
  );
  const sync = demo.gw.app.get(SyncService);
  const started = Date.now();
  let run = await sync.getRun(integrationId, syncId);
  while (run.status === 'QUEUED' || run.status === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 250));
    run = await sync.getRun(integrationId, syncId);
  }
  process.stdout.write(`First sync ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${run.created} records created.\n`);
  if (run.status !== 'SUCCEEDED') process.stdout.write(`  error: ${run.error}\n`);

  const h = `-H "Authorization: Bearer ${key}"`;
  const x = `-H "X-Integration-Id: ${integrationId}"`;
  const json = '-H "Content-Type: application/json"';
  process.stdout.write(
    [
      '',
      `  API key:        ${key}`,
      `  Integration id: ${integrationId}`,
      '',
      '  Try:',
      `    curl -s ${h} ${url}/v1/check-api-key`,
      `    curl -s ${h} ${x} "${url}/v1/hris/employees?page_size=2"`,
      `    curl -s ${h} ${x} "${url}/v1/hris/groups?page_size=5"`,
      `    curl -s ${h} ${x} ${json} -d '{"type":"DELTA"}' ${url}/v1/force-sync`,
      `    curl -s ${h} "${url}/v1/integrations/${integrationId}/syncs"`,
      `    open ${url}/docs`,
      '',
      "  Connect a customer: create a link, open it, and enter the simulator's credentials:",
      `    curl -s ${h} ${json} -d '{"end_user_email":"it@acme.example","end_user_organization_name":"ACME"}' ${url}/v1/connect/create-link`,
      `    Client ID:     ${sandbox.defaultCredential.clientId}`,
      `    Client secret: ${sandbox.defaultCredential.clientSecret}`,
      '',
      '  Ctrl-C to stop (the database is in memory and goes with it).',
      '',
    ].join('\n') + '\n',
  );
  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`demo failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
