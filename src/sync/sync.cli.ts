// CLI commands of the sync engine (npm run cli -- …): create an integration from
// Personio credentials, run a sync in this process, list runs. Until connect links
// exist, this is how an operator connects an HRIS.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { getConnector } from '../../connectors/registry';
import { CLI_COMMANDS, CliContext } from '../cli.commands';
import { GatewayError, inputInvalid } from '../common/errors';
import { assertPublicUrl } from '../common/ssrf';
import type { GatewayConfig } from '../config/config';
import { connectorFor } from '../integrations/connector-context';
import { IntegrationsService } from '../integrations/integrations.service';
import { createVault } from '../integrations/vault';
import { toSyncRunView } from './sync.dto';
import { SyncRunner } from './sync-runner';
import { SyncRunsRepository, SyncType } from './sync-runs.repository';
import { rowsOf } from '../database/rows';

export interface CreateIntegrationOptions {
  environment: string;
  tool: string;
  credentials: Record<string, unknown>;
  baseUrl?: string | null;
  organization: string;
  email?: string | null;
  originId?: string | null;
}

/** Creates a connected integration and queues its first full sync (shared by the CLI and the demo). */
export async function createIntegrationWithFirstSync(ds: DataSource, config: GatewayConfig, opts: CreateIntegrationOptions) {
  const connector = getConnector(opts.tool);
  if (!connector) throw inputInvalid(`Unknown tool "${opts.tool}".`);
  const checked = connector.credentials.validate(opts.credentials);
  if (!checked.ok) throw inputInvalid(checked.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  if (opts.baseUrl) await assertPublicUrl(opts.baseUrl, { allowPrivate: config.allowPrivateNetworkTargets, protocols: ['https:', 'http:'] }, '--base-url');
  const [env] = rowsOf<{ id: string }>(await ds.query(`SELECT id FROM environments WHERE id = $1 OR name = $1 LIMIT 1`, [opts.environment]));
  if (!env) throw inputInvalid(`No environment "${opts.environment}".`);
  const integrations = new IntegrationsService(ds, createVault(config), config);
  const runs = new SyncRunsRepository(ds);
  return ds.transaction(async (em) => {
    const integration = await integrations.create(
      {
        environmentId: env.id, tool: opts.tool, credentials: checked.value as Record<string, unknown>, baseUrl: opts.baseUrl ?? null,
        endUserOrganizationName: opts.organization, endUserEmail: opts.email ?? null, endUserOriginId: opts.originId ?? null,
      },
      em,
    );
    const { run } = await runs.enqueue(integration.id, { type: 'FULL', trigger: 'FIRST_SYNC' }, em);
    return { integration, syncId: run.id };
  });
}

function readSecret(values: Record<string, string | boolean | undefined>): string {
  if (typeof values['client-secret-env'] === 'string') {
    const v = process.env[values['client-secret-env']];
    if (!v) throw inputInvalid(`Environment variable ${values['client-secret-env']} is empty.`);
    return v.trim();
  }
  if (typeof values['client-secret'] === 'string') return values['client-secret'];
  if (!process.stdin.isTTY) return readFileSync(0, 'utf8').trim();
  throw inputInvalid('Give the client secret with --client-secret-env NAME (preferred), on stdin, or with --client-secret.');
}

const OPTIONS = {
  tool: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, 'client-secret-env': { type: 'string' },
  'base-url': { type: 'string' }, environment: { type: 'string' }, organization: { type: 'string' }, email: { type: 'string' },
  'origin-id': { type: 'string' }, integration: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' },
} as const;

/** The generic CLI parses loosely; these commands re-parse their own options strictly so `--client-id X` is read right. */
function options(): Record<string, string | boolean | undefined> {
  return parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true }).values;
}

CLI_COMMANDS.push(
  {
    usage: 'integrations create --tool personio --client-id <id> (--client-secret-env <VAR> | secret on stdin) [--base-url <url>] [--environment default] [--organization <name>]',
    matches: (g, a) => g === 'integrations' && a === 'create',
    async run(ctx: CliContext) {
      const o = options();
      const tool = String(o.tool ?? 'personio');
      if (!o['client-id']) throw inputInvalid('--client-id is required');
      const { integration, syncId } = await createIntegrationWithFirstSync(ctx.ds, ctx.config, {
        environment: String(o.environment ?? 'default'), tool, organization: String(o.organization ?? 'My company'),
        credentials: { clientId: String(o['client-id']), clientSecret: readSecret(o) }, baseUrl: (o['base-url'] as string) ?? null,
        email: (o.email as string) ?? null, originId: (o['origin-id'] as string) ?? null,
      });
      ctx.out(o.json ? { id: integration.id, first_sync_id: syncId } : `Created integration ${integration.id}; its first full sync (${syncId}) is queued and starts when a gateway runs (or: npm run cli -- syncs run --integration ${integration.id}).`);
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
      const claimed = await runs.claim(run.id, workerId);
      if (!claimed) throw new GatewayError('PLATFORM.CONFLICT', `A sync of this integration is already ${already ? run.status.toLowerCase() : 'running'} (${run.id}).`);
      const runner = new SyncRunner({ ds: ctx.ds, config: ctx.config, sync, vault: createVault(ctx.config), runs, connectorFor, workerId });
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
