// Shared by the benches: a throwaway database per run and the simulators (Personio, BambooHR) in their own processes.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';

/** The Postgres server the benches create their databases on (DATABASE_URL, else the local one). */
export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface SimulatorProcess {
  url: string;
  clientId: string;
  clientSecret: string;
  proc: ChildProcess;
}

type SimulatorOptions = { employees: number; port?: number; rateLimits?: boolean };

/**
 * Spawns a simulator CLI (built, under dist/) with the bench's arguments and resolves once its stdout has printed
 * every `fields` pattern's first capture; the one spawner both simulators go through.
 */
function spawnSimulatorCli<K extends string>(
  label: string,
  cli: string,
  noRateLimitFlag: string,
  opts: SimulatorOptions,
  fields: Record<K, RegExp>,
): Promise<Record<K, string> & { proc: ChildProcess }> {
  const args = [path.join(__dirname, cli), '--employees', String(opts.employees), '--port', String(opts.port ?? 0), '--seed', '1'];
  if (opts.rateLimits === false) args.push(noRateLimitFlag);
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    proc.stdout!.on('data', (d) => {
      out += d;
      const found = {} as Record<K, string>;
      for (const key of Object.keys(fields) as K[]) {
        const value = fields[key].exec(out)?.[1];
        if (!value) return;
        found[key] = value;
      }
      resolve({ ...found, proc });
    });
  });
}

/** Starts the simulator CLI (built, under dist/) and resolves once it prints its URL and credentials. */
export function startSimulatorProcess(opts: SimulatorOptions): Promise<SimulatorProcess> {
  return spawnSimulatorCli('simulator', '../connectors/personio/sandbox/cli.js', '--no-rate-limits', opts, {
    url: /listening on (\S+)/,
    clientId: /client_id:\s+(\S+)/,
    clientSecret: /client_secret:\s+(\S+)/,
  });
}

export interface BambooSimulatorProcess {
  url: string;
  company: string;
  apiKey: string;
  proc: ChildProcess;
}

/** Starts the BambooHR simulator CLI (built, under dist/) and resolves once it prints its URL, company and key. */
export function startBambooSimulatorProcess(opts: SimulatorOptions): Promise<BambooSimulatorProcess> {
  return spawnSimulatorCli('BambooHR simulator', '../connectors/bamboohr/sandbox/cli.js', '--no-rate-limit', opts, {
    url: /listening on (\S+)/,
    company: /company domain:\s+(\S+)/,
    apiKey: /API key:\s+(\S+)/,
  });
}

/** Runs `fn` on a new database of BENCH_DATABASE_URL's server and drops it afterwards, whatever happens. */
export async function withBenchDatabase<T>(prefix: string, fn: (url: string) => Promise<T>): Promise<T> {
  // A unique name: two runs (or a run killed before its drop) never share or reuse a database.
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: BENCH_DATABASE_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  // A bench stopped with Ctrl-C or `timeout` never reaches finally: the signal drops the database too.
  const onSignal = (signal: NodeJS.Signals) => {
    void admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(url.toString());
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/**
 * A port option: `--<name> N` pins it, 0 (the default everywhere) lets the OS pick a free one, so
 * runs never collide on a fixed port.
 */
export function portOption(value: string | undefined, name: string): number {
  const port = Number(value ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--${name} must be a port number (0 = any free port), not ${value}`);
  return port;
}

/**
 * The benches' result format: a GitHub markdown table, printed as docs/benchmarks.md shows it.
 * `right` marks the numeric columns (right-aligned).
 */
export function markdownTable(columns: Array<{ title: string; right?: boolean }>, rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(columns.map((c) => c.title)), line(columns.map((c) => (c.right ? '---:' : '---'))), ...rows.map(line)].join('\n') + '\n';
}
