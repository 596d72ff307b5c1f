import { parseArgs } from 'node:util';
import { ApiKeysService } from './auth/api-keys.service';
import { openDatabase } from './bootstrap';
import { GatewayError } from './common/errors';
import { createLogger, setRootLogger } from './common/logger';
import { ConfigError, loadConfig, logLevel } from './config/config';
import { CLI_COMMANDS, CliContext } from './cli.commands';
import './sync/sync.cli'; // registers its commands in CLI_COMMANDS
import './housekeeping/housekeeping.cli';
import './integrations/management.cli';

const USAGE = `Usage: npm run cli -- <command> [options]

  environments list
  environments create --name <name>
  api-keys list [--environment <name|id>]
  api-keys create --environment <name|id> [--name <label>]     prints the key once
  api-keys revoke <key id | prefix>
${CLI_COMMANDS.map((c) => `  ${c.usage}`).join('\n')}

Uses DATABASE_URL when set, otherwise the embedded database under GATEWAY_DATA_DIR (.data).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { environment: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
  });
  const [group, action, ...rest] = positionals;
  if (values.help || !group) {
    process.stdout.write(USAGE + '\n');
    return group ? 0 : 2;
  }
  const config = loadConfig();
  setRootLogger(createLogger(logLevel(process.env, 'warn')));
  const { ds, embedded } = await openDatabase(config);
  const keys = new ApiKeysService(ds);
  const out = (v: unknown) => process.stdout.write((typeof v === 'string' ? v : JSON.stringify(v, null, 2)) + '\n');
  try {
    switch (`${group} ${action ?? ''}`.trim()) {
      case 'environments list':
        out((await keys.listEnvironments()).map((e) => ({ id: e.id, name: e.name, created_at: e.createdAt.toISOString() })));
        return 0;
      case 'environments create':
        out(await keys.createEnvironment(String(values.name ?? rest[0] ?? '')));
        return 0;
      case 'api-keys list':
        out(await keys.listKeys(values.environment as string | undefined));
        return 0;
      case 'api-keys create': {
        if (!values.environment) throw new GatewayError('PLATFORM.INPUT_INVALID', '--environment is required');
        const { key, listing } = await keys.createKey(String(values.environment), String(values.name ?? 'cli'));
        out(`API key for environment "${listing.environment_name}" (shown once, store it now):\n\n  ${key}\n\nid: ${listing.id}  prefix: ${listing.prefix}`);
        return 0;
      }
      case 'api-keys revoke': {
        if (!rest[0] && !values.name) throw new GatewayError('PLATFORM.INPUT_INVALID', 'give the key id or prefix to revoke');
        const listing = await keys.revokeKey(String(rest[0]));
        out(`Revoked ${listing.prefix}… (${listing.id}) of environment "${listing.environment_name}".`);
        return 0;
      }
      default: {
        const cmd = CLI_COMMANDS.find((c) => c.matches(group, action));
        if (!cmd) {
          process.stderr.write(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}\n`);
          return 2;
        }
        const ctx: CliContext = { ds, config, args: rest, options: values, out };
        return await cmd.run(ctx);
      }
    }
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const message = e instanceof GatewayError || e instanceof ConfigError ? e.message : String(e?.stack ?? e);
    process.stderr.write(`Error: ${message}\n`);
    process.exit(1);
  },
);
