// `npm run demo`: the Personio simulator with a few hundred employees, the gateway on
// an in-memory embedded database, a connected integration and its first sync — then
// prints an API key, the integration id and curl lines to try. Ctrl-C stops it all.
import { startPersonioSandbox } from '../connectors/personio/sandbox';
import { createGateway } from './bootstrap';
import { createLogger, setRootLogger } from './common/logger';
import { loadConfig } from './config/config';
import { SyncService } from './sync/sync.service';
import { createIntegrationWithFirstSync } from './sync/sync.cli';

async function main(): Promise<void> {
  const employees = Number(process.env.DEMO_EMPLOYEES ?? 300);
  setRootLogger(createLogger(process.env.LOG_LEVEL ?? 'warn'));
  const sandbox = await startPersonioSandbox({ employees, seed: 42 });
  // The simulator lives on loopback, which the SSRF policy refuses unless told otherwise.
  const config = { ...loadConfig({ ...process.env, ALLOW_PRIVATE_NETWORK_TARGETS: 'true' }), databaseUrl: null };
  const gw = await createGateway(config, { inMemory: true });
  const port = (gw.app.getHttpServer().address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  config.publicUrl = url;
  const key = gw.firstKey!.key;

  const { integration, syncId } = await createIntegrationWithFirstSync(gw.ds, config, {
    environment: gw.firstKey!.environmentId, tool: 'personio', organization: 'ACME Demo GmbH', baseUrl: sandbox.url,
    credentials: { clientId: sandbox.defaultCredential.clientId, clientSecret: sandbox.defaultCredential.clientSecret },
  });
  process.stdout.write(`Personio simulator with ${employees} employees at ${sandbox.url}\nGateway at ${url}; first sync ${syncId} running…\n`);
  const sync = gw.app.get(SyncService);
  const started = Date.now();
  let run = await sync.getRun(integration.id, syncId);
  while (run.status === 'QUEUED' || run.status === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 250));
    run = await sync.getRun(integration.id, syncId);
  }
  process.stdout.write(`First sync ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${run.created} records created.\n`);
  if (run.status !== 'SUCCEEDED') process.stdout.write(`  error: ${run.error}\n`);

  const h = `-H "Authorization: Bearer ${key}"`;
  const x = `-H "X-Integration-Id: ${integration.id}"`;
  process.stdout.write(
    [
      '',
      `  API key:        ${key}`,
      `  Integration id: ${integration.id}`,
      '',
      '  Try:',
      `    curl -s ${h} ${url}/v1/check-api-key`,
      `    curl -s ${h} ${x} "${url}/v1/hris/employees?page_size=2"`,
      `    curl -s ${h} ${x} "${url}/v1/hris/groups?page_size=5"`,
      `    curl -s ${h} ${x} -H "Content-Type: application/json" -d '{"type":"DELTA"}' ${url}/v1/force-sync`,
      `    curl -s ${h} "${url}/v1/integrations/${integration.id}/syncs"`,
      `    open ${url}/docs`,
      '',
      '  Ctrl-C to stop (the database is in memory and goes with it).',
      '',
    ].join('\n') + '\n',
  );
  const stop = async () => {
    await gw.close();
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
