import { parseArgs } from 'node:util';
import { commonCliOptions, commonStartOptions, serveCli } from '../../sandbox-kit/cli';
import { startBambooSandbox } from './index';

/** `npm run sandbox:bamboohr -- --employees 500 --port 4020 --seed 1` */
serveCli(
  async () => {
    const { values } = parseArgs({
      options: {
        ...commonCliOptions('4020'),
        company: { type: 'string', default: 'acme' },
        'rate-limit': { type: 'string', default: '600/60' },
        'no-rate-limit': { type: 'boolean', default: false },
        'legacy-throttling': { type: 'boolean', default: false },
        'json-by-default': { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(
        'Usage: sandbox:bamboohr [--employees N] [--port P] [--host H] [--seed S] [--company acme] [--time-scale X] [--now ISO]\n' +
          '                        [--rate-limit REQUESTS/SECONDS | --no-rate-limit] [--legacy-throttling] [--json-by-default]',
      );
      return null;
    }
    const rl = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(values['rate-limit'] ?? '');
    if (!values['no-rate-limit'] && !rl) throw new Error('--rate-limit must look like 600/60 (requests per seconds)');
    return startBambooSandbox({
      ...commonStartOptions(values),
      company: values.company,
      rateLimit: values['no-rate-limit'] || !rl ? false : { requests: Number(rl[1]), windowMs: Number(rl[2]) * 1000 },
      switches: { throttling: values['legacy-throttling'] ? 'legacy' : 'current', xmlByDefault: !values['json-by-default'] },
    });
  },
  (sandbox) => [
    `BambooHR sandbox listening on ${sandbox.url} (${sandbox.employeeIds().length} employees)`,
    `  company domain: ${sandbox.company}`,
    `  API key:        ${sandbox.apiKey}   (Basic auth user name; any password)`,
    `  base URLs:      ${sandbox.baseUrl}  |  ${sandbox.gatewayBaseUrl}`,
    `  try: curl -sg -u '${sandbox.apiKey}:x' -H 'Accept: application/json' '${sandbox.baseUrl}/employees?page[limit]=5'`,
  ],
);
