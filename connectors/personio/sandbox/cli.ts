import { parseArgs } from 'node:util';
import { startPersonioSandbox } from './index';

/** `npm run sandbox:personio -- --employees 500 --port 4010 --seed 1` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      employees: { type: 'string', default: '50' },
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      'time-scale': { type: 'string', default: '1' },
      'utc-offset': { type: 'string', default: '+01:00' },
      now: { type: 'string' },
      'no-rate-limits': { type: 'boolean', default: false },
      'legacy-tokens': { type: 'boolean', default: false },
      'allow-query-credentials': { type: 'boolean', default: false },
      'dates-touch-last-modified': { type: 'boolean', default: false },
      'webhook-latency-ms': { type: 'string' },
      'webhook-retry-time-scale': { type: 'string' },
      'webhook-allowed-host': { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: sandbox:personio [--employees N] [--port P] [--host H] [--seed S] [--time-scale X] [--utc-offset +01:00]\n' +
      '                        [--now ISO] [--no-rate-limits] [--legacy-tokens] [--allow-query-credentials] [--dates-touch-last-modified]\n' +
      '                        [--webhook-latency-ms MS] [--webhook-retry-time-scale X] [--webhook-allowed-host H ...]');
    return;
  }
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
    return n;
  };
  const sandbox = await startPersonioSandbox({
    employees: num('employees', values.employees),
    port: num('port', values.port),
    host: values.host,
    seed: num('seed', values.seed),
    timeScale: num('time-scale', values['time-scale']),
    utcOffset: values['utc-offset'],
    now: values.now ? new Date(values.now) : undefined,
    rateLimits: !values['no-rate-limits'],
    legacyRotatingTokens: values['legacy-tokens'],
    rejectQueryCredentials: !values['allow-query-credentials'],
    datesTouchLastModified: values['dates-touch-last-modified'],
    webhooks: {
      dispatchLatencyMs: values['webhook-latency-ms'] === undefined ? undefined : num('webhook-latency-ms', values['webhook-latency-ms']),
      retryTimeScale: values['webhook-retry-time-scale'] === undefined ? undefined : num('webhook-retry-time-scale', values['webhook-retry-time-scale']),
      allowedHosts: values['webhook-allowed-host'],
    },
  });
  const c = sandbox.defaultCredential;
  console.log(`Personio sandbox listening on ${sandbox.url} (${sandbox.employeeIds().length} employees)`);
  console.log(`  client_id:     ${c.clientId}`);
  console.log(`  client_secret: ${c.clientSecret}`);
  console.log(`  try: curl -s -X POST ${sandbox.url}/v1/auth -H 'content-type: application/json' -d '{"client_id":"${c.clientId}","client_secret":"${c.clientSecret}"}'`);
  console.log(`  control API: ${sandbox.url}/_sandbox`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
