import { parseArgs } from 'node:util';
import { cliNumber, commonCliOptions, commonStartOptions, serveCli } from '../../sandbox-kit/cli';
import { startPersonioSandbox } from './index';

/** `npm run sandbox:personio -- --employees 500 --port 4010 --seed 1` */
serveCli(
  async () => {
    const { values } = parseArgs({
      options: {
        ...commonCliOptions('4010'),
        'utc-offset': { type: 'string', default: '+01:00' },
        'no-rate-limits': { type: 'boolean', default: false },
        'legacy-tokens': { type: 'boolean', default: false },
        'allow-query-credentials': { type: 'boolean', default: false },
        'dates-touch-last-modified': { type: 'boolean', default: false },
        'webhook-latency-ms': { type: 'string' },
        'webhook-retry-time-scale': { type: 'string' },
        'webhook-allowed-host': { type: 'string', multiple: true },
      },
    });
    if (values.help) {
      console.log(
        'Usage: sandbox:personio [--employees N] [--port P] [--host H] [--seed S] [--time-scale X] [--utc-offset +01:00]\n' +
          '                        [--now ISO] [--no-rate-limits] [--legacy-tokens] [--allow-query-credentials] [--dates-touch-last-modified]\n' +
          '                        [--webhook-latency-ms MS] [--webhook-retry-time-scale X] [--webhook-allowed-host H ...]',
      );
      return null;
    }
    const optional = (name: 'webhook-latency-ms' | 'webhook-retry-time-scale') => (values[name] === undefined ? undefined : cliNumber(name, values[name]));
    return startPersonioSandbox({
      ...commonStartOptions(values),
      utcOffset: values['utc-offset'],
      rateLimits: !values['no-rate-limits'],
      legacyRotatingTokens: values['legacy-tokens'],
      rejectQueryCredentials: !values['allow-query-credentials'],
      datesTouchLastModified: values['dates-touch-last-modified'],
      webhooks: {
        dispatchLatencyMs: optional('webhook-latency-ms'),
        retryTimeScale: optional('webhook-retry-time-scale'),
        allowedHosts: values['webhook-allowed-host'],
      },
    });
  },
  (sandbox) => {
    const c = sandbox.defaultCredential;
    return [
      `Personio sandbox listening on ${sandbox.url} (${sandbox.employeeIds().length} employees)`,
      `  client_id:     ${c.clientId}`,
      `  client_secret: ${c.clientSecret}`,
      `  try: curl -s -X POST ${sandbox.url}/v1/auth -H 'content-type: application/json' -d '{"client_id":"${c.clientId}","client_secret":"${c.clientSecret}"}'`,
    ];
  },
);
