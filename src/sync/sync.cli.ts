// CLI commands of the sync engine (npm run cli -- …): create an integration from
// a tool's credentials, run a sync in this process, list runs. Until connect links
// exist, this is how an operator connects an HRIS.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI_COMMANDS, CliContext } from '../cli.commands';
import { GatewayError, inputInvalid } from '../common/errors';
import { ConnectorRegistry, registeredConnectors } from '../integrations/connector-registry';
import { createIntegrationWithFirstSync } from '../integrations/first-sync';
import { createVault } from '../integrations/vault';
import { toSyncRunView } from './sync.dto';
import { SyncRunner } from './sync-runner';
import { SyncRunsRepository, SyncType } from './sync-runs.repository';

/** `key=value` of a repeated flag. */
function pairs(flag: string, values: unknown): Array<[string, string]> {
  return (Array.isArray(values) ? values : []).map((v: string) => {
    const at = v.indexOf('=');
    if (at <= 0) throw inputInvalid(`--${flag} takes key=value, got "${v}".`);
    return [v.slice(0, at), v.slice(at + 1)];
  });
}

/**
 * The tool's credentials (its `credentials.fields`): `--credential key=value` for plain
 * values, `--credential-env key=VAR` for secrets (kept out of the shell history), and a
 * JSON object on stdin for whatever the flags left out.
 */
export function credentialsFromOptions(
  fields: ReadonlyArray<{ key: string; secret: boolean }>,
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  stdin: () => string | null = () => (process.stdin.isTTY ? null : readFileSync(0, 'utf8')),
): Record<string, string> {
  const keys = new Set(fields.map((f) => f.key));
  const out: Record<string, string> = {};
  const set = (key: string, value: string, flag: string) => {
    if (!keys.has(key)) throw inputInvalid(`${flag}: "${key}" is not a credential of this tool; it takes ${[...keys].join(', ')}.`);
    out[key] = value;
  };
  for (const [k, v] of pairs('credential', values.credential)) set(k, v, '--credential');
  for (const [k, name] of pairs('credential-env', values['credential-env'])) {
    const v = env[name];
    if (!v) throw inputInvalid(`Environment variable ${name} is empty.`);
    set(k, v.trim(), '--credential-env');
  }
  const missing = fields.filter((f) => out[f.key] === undefined);
  if (missing.length) {
    const text = stdin();
    if (text !== null && text.trim()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw inputInvalid('stdin must hold a JSON object of credentials, e.g. {"key": "value"}.');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw inputInvalid('stdin must hold a JSON object of credentials.');
      for (const [k, v] of Object.entries(parsed)) if (out[k] === undefined) set(k, String(v), 'stdin');
    }
  }
  const still = fields.filter((f) => out[f.key] === undefined);
  if (still.length) {
    throw inputInvalid(
      `Missing credentials: ${still.map((f) => (f.secret ? `--credential-env ${f.key}=VAR` : `--credential ${f.key}=…`)).join(', ')} (or a JSON object on stdin).`,
    );
  }
  return out;
}

const OPTIONS = {
  tool: { type: 'string' },
  credential: { type: 'string', multiple: true },
  'credential-env': { type: 'string', multiple: true },
  'base-url': { type: 'string' },
  environment: { type: 'string' },
  organization: { type: 'string' },
  email: { type: 'string' },
  'origin-id': { type: 'string' },
  integration: { type: 'string' },
  type: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The generic CLI parses loosely; these commands re-parse their own options strictly so `--credential k=v` is read right. */
function options(): Record<string, string | boolean | string[] | undefined> {
  return parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true }).values;
}

/** The CLI composes with the same registry the gateway provides (ConnectorRegistry). */
const connectors = () => new ConnectorRegistry(registeredConnectors());

CLI_COMMANDS.push(
  {
    usage:
      'integrations create [--tool <id>] --credential <key>=<value> … [--credential-env <key>=<VAR> …] (or a JSON object on stdin) [--base-url <url>] [--environment default] [--organization <name>]',
    matches: (g, a) => g === 'integrations' && a === 'create',
    async run(ctx: CliContext) {
      const o = options();
      const registry = connectors();
      const tool = typeof o.tool === 'string' ? o.tool : registry.defaultTool();
      const connector = registry.find(tool);
      if (!connector) throw inputInvalid(`Unknown tool "${tool}". Available tools: ${registry.ids().join(', ')}.`);
      const credentials = credentialsFromOptions(connector.credentials.fields, o);
      const { integration, syncId } = await createIntegrationWithFirstSync(
        ctx.ds,
        ctx.config,
        {
          environment: String(o.environment ?? 'default'),
          tool,
          organization: String(o.organization ?? 'My company'),
          credentials,
          baseUrl: (o['base-url'] as string) ?? null,
          email: (o.email as string) ?? null,
          originId: (o['origin-id'] as string) ?? null,
        },
        registry,
      );
      ctx.out(
        o.json
          ? { id: integration.id, first_sync_id: syncId }
          : `Created integration ${integration.id}; its first full sync (${syncId}) is queued and starts when a gateway runs (or: npm run cli -- syncs run --integration ${integration.id}).`,
      );
      return 0;
    },
  },
  {
    usage: 'syncs run --integration <id> [--type FULL|DELTA]          runs a sync in this process and waits for it',
    matches: (g, a) => g === 'syncs' && a === 'run',
    async run(ctx: CliContext) {
      const o = options();
      const id = String(o.integration ?? '');
      const type = (String(o.type ?? 'FULL').toUpperCase() === 'DELTA' ? 'DELTA' : 'FULL') as SyncType;
      const runs = new SyncRunsRepository(ctx.ds);
      const sync = ctx.config.sync;
      await runs.schedules.ensure({ deltaMinutes: sync.deltaIntervalMinutes, fullMinutes: sync.fullIntervalMinutes }, id);
      const { run, already } = await runs.enqueue(id, { type, trigger: 'MANUAL' }).catch(() => {
        throw inputInvalid(`No integration "${id}".`);
      });
      const workerId = `cli:${process.pid}`;
      const registry = connectors();
      const claimed = await runs.claim(run.id, workerId);
      if (!claimed)
        throw new GatewayError('PLATFORM.CONFLICT', `A sync of this integration is already ${already ? run.status.toLowerCase() : 'running'} (${run.id}).`);
      const runner = new SyncRunner({
        ds: ctx.ds,
        config: ctx.config,
        sync,
        vault: createVault(ctx.config),
        runs,
        connectorFor: (tool) => registry.get(tool),
        workerId,
      });
      const finished = await runner.execute(claimed, { reason: null, abort: new AbortController() });
      ctx.out(finished ? toSyncRunView(finished) : 'The run was taken over by another process.');
      return finished?.status === 'SUCCEEDED' ? 0 : 1;
    },
  },
  {
    usage: 'syncs list --integration <id>',
    matches: (g, a) => g === 'syncs' && a === 'list',
    async run(ctx: CliContext) {
      const id = String(options().integration ?? '');
      ctx.out((await new SyncRunsRepository(ctx.ds).list(id, null, 20)).map(toSyncRunView));
      return 0;
    },
  },
);
