// What every simulator's `npm run sandbox:<tool>` shares: the common flags, their
// parsing, the banner, and running until SIGINT/SIGTERM closes the simulator.
import type { ParseArgsConfig } from 'node:util';

/** Flags every simulator takes; `port` defaults per tool. */
export function commonCliOptions(port: string) {
  return {
    employees: { type: 'string', default: '50' },
    port: { type: 'string', default: port },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    'time-scale': { type: 'string', default: '1' },
    now: { type: 'string' },
    help: { type: 'boolean', default: false },
  } satisfies ParseArgsConfig['options'];
}

export function cliNumber(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
}

function cliDate(name: string, v: string): Date {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name} must be an ISO date-time, got ${v}`);
  return d;
}

/** The start options the common flags give. */
export function commonStartOptions(values: { employees?: string; port?: string; host?: string; seed?: string; 'time-scale'?: string; now?: string }) {
  return {
    employees: cliNumber('employees', values.employees),
    port: cliNumber('port', values.port),
    host: values.host,
    seed: cliNumber('seed', values.seed),
    timeScale: cliNumber('time-scale', values['time-scale']),
    now: values.now ? cliDate('now', values.now) : undefined,
  };
}

/** Starts the simulator, prints its banner and the control API, and closes it on SIGINT/SIGTERM; a failure exits 1. */
export function serveCli<H extends { url: string; close(): Promise<void> }>(start: () => Promise<H | null>, banner: (h: H) => string[]): void {
  const run = async () => {
    const sandbox = await start();
    if (!sandbox) return;
    for (const line of banner(sandbox)) console.log(line);
    console.log(`  control API: ${sandbox.url}/_sandbox`);
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  };
  run().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
