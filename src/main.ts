import { createGateway } from './bootstrap';
import { loadConfig, StartupError } from './config/config';
import { applyHeapGrowth } from './config/heap';
import { createLogger, flushLogs, getLogger, setRootLogger } from './common/logger';

const CREATE_KEY_COMMAND = 'npm run cli -- api-keys create --environment default';

async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapGrowth(config.heapGrowthPercent);
  setRootLogger(createLogger(config.logLevel));
  const log = getLogger('main');
  const gw = await createGateway(config);
  if (gw.firstKey) {
    // Printed once, to stdout only: the database holds just its hash. After the start-up
    // lines the loggers still buffer, so the key is the last thing on the screen.
    await flushLogs();
    process.stdout.write(
      [
        '',
        '  First start: created environment "default" and an API key for it.',
        '  It is shown only this once; store it now.',
        '',
        `    API key: ${gw.firstKey.key}`,
        '',
        `    curl -H "Authorization: Bearer ${gw.firstKey.key}" ${config.publicUrl}/v1/check-api-key`,
        '',
        `  More keys: ${CREATE_KEY_COMMAND}`,
        '',
      ].join('\n') + '\n',
    );
  } else {
    log.info(`API keys are shown only when created: make one with ${CREATE_KEY_COMMAND}`);
  }
  log.info({ url: config.publicUrl, port: config.port, database: config.databaseUrl ? 'postgres' : 'embedded' }, 'gateway listening');
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    await gw.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  if (e instanceof StartupError) {
    // Something the operator fixes in the environment: the message names the variable; a stack trace would only bury it.
    process.stderr.write(`${e.message}\n`);
    process.exit(e.exitCode);
  }
  getLogger('main').fatal({ err: e }, 'gateway failed to start');
  setTimeout(() => process.exit(1), 100);
});
