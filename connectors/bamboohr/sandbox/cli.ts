import { parseArgs } from 'node:util';
import { startBambooSandbox } from './index';

/** `npm run sandbox:bamboohr -- --employees 500 --port 4020 --seed 1` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      employees: { type: 'string', default: '50' },
      port: { type: 'string', default: '4020' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      company: { type: 'string', default: 'acme' },
      'time-scale': { type: 'string', default: '1' },
      now: { type: 'string' },
      'rate-limit': { type: 'string', default: '600/60' },
      'no-rate-limit': { type: 'boolean', default: false },
      'legacy-throttling': { type: 'boolean', default: false },
      'json-by-default': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: sandbox:bamboohr [--employees N] [--port P] [--host H] [--seed S] [--company acme] [--time-scale X] [--now ISO]\n' +
      '                        [--rate-limit REQUESTS/SECONDS | --no-rate-limit] [--legacy-throttling] [--json-by-default]');
    return;
  }
  const num = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
    return n;
  };
  const rl = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(values['rate-limit'] ?? '');
  if (!values['no-rate-limit'] && !rl) throw new Error('--rate-limit must look like 600/60 (requests per seconds)');
  const sandbox = await startBambooSandbox({
    employees: num('employees', values.employees),
    port: num('port', values.port),
    host: values.host,
    seed: num('seed', values.seed),
    company: values.company,
    timeScale: num('time-scale', values['time-scale']),
    now: values.now ? new Date(values.now) : undefined,
    rateLimit: values['no-rate-limit'] || !rl ? false : { requests: Number(rl[1]), windowMs: Number(rl[2]) * 1000 },
    switches: { throttling: values['legacy-throttling'] ? 'legacy' : 'current', xmlByDefault: !values['json-by-default'] },
  });
  console.log(`BambooHR sandbox listening on ${sandbox.url} (${sandbox.employeeIds().length} employees)`);
  console.log(`  company domain: ${sandbox.company}`);
  console.log(`  API key:        ${sandbox.apiKey}   (Basic auth user name; any password)`);
  console.log(`  base URLs:      ${sandbox.baseUrl}  |  ${sandbox.gatewayBaseUrl}`);
  console.log(`  try: curl -sg -u '${sandbox.apiKey}:x' -H 'Accept: application/json' '${sandbox.baseUrl}/employees?page[limit]=5'`);
  console.log(`  control API: ${sandbox.url}/_sandbox`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
