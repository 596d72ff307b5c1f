// CLI: npm run cli -- integrations settings get|set <integration id> […]. The same
// validation (the API's DTO and pipe) and the same store as PATCH …/settings; the
// change is recorded as made by the CLI. A gateway process runs the resync: a change
// of filters queues a full sync (trigger MANUAL) that a running gateway claims within a tick.
import { parseArgs } from 'node:util';
import { CLI_COMMANDS, CliContext } from '../cli.commands';
import { inputInvalid } from '../common/errors';
import { createValidationPipe } from '../common/validation';
import { SyncRunsRepository } from '../sync/sync-runs.repository';
import { IntegrationEntity } from './integration.entity';
import { FilterField, IntegrationSettingsStore } from './management.settings';
import { PatchIntegrationSettingsDto } from './management.settings.dto';

const FILTER_OPTIONS: Record<string, FilterField> = {
  'legal-entities': 'legal_entity_remote_ids',
  locations: 'location_remote_ids',
  groups: 'group_remote_ids',
  statuses: 'employment_statuses',
  'employment-types': 'employment_types',
};
const OPTIONS = {
  ...Object.fromEntries(Object.keys(FILTER_OPTIONS).map((k) => [k, { type: 'string' as const }])),
  'delta-interval-minutes': { type: 'string' },
  'full-interval-minutes': { type: 'string' },
  'expose-remote-data': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Command-line options → the PATCH body: lists are comma-separated ("" clears), "default" resets an interval. */
export function settingsPatchFromArgs(argv: string[]): { id: string; verb: string; patch: Record<string, unknown>; json: boolean } {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [, , verb, id] = positionals; // integrations settings <verb> <id>
  if (!id) throw inputInvalid('Give the integration id: integrations settings get|set <integration id>.');
  const patch: Record<string, unknown> = {};
  const filters: Record<string, string[]> = {};
  for (const [opt, field] of Object.entries(FILTER_OPTIONS)) {
    const v = values[opt as keyof typeof values];
    if (typeof v === 'string')
      filters[field] = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
  }
  if (Object.keys(filters).length) patch.filters = filters;
  for (const key of ['delta-interval-minutes', 'full-interval-minutes'] as const) {
    const v = values[key];
    if (typeof v === 'string') patch[key.replaceAll('-', '_')] = v === 'default' ? null : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  const expose = values['expose-remote-data'];
  if (typeof expose === 'string') patch.expose_remote_data = expose === 'true' ? true : expose === 'false' ? false : expose;
  return { id, verb: verb ?? '', patch, json: values.json === true };
}

CLI_COMMANDS.push({
  usage:
    'integrations settings get|set <id> [--statuses ACTIVE,LEAVE] [--employment-types …] [--legal-entities <remote ids>] [--locations …] [--groups …]\n' +
    '      [--delta-interval-minutes N|default] [--full-interval-minutes N|default] [--expose-remote-data true|false]   ("" clears a filter)',
  matches: (g, a) => g === 'integrations' && a === 'settings',
  async run(ctx: CliContext) {
    const { id, verb, patch, json } = settingsPatchFromArgs(process.argv.slice(2));
    if (verb !== 'get' && verb !== 'set') throw inputInvalid('Use integrations settings get <id> or integrations settings set <id> [options].');
    const sync = ctx.config.sync;
    const store = new IntegrationSettingsStore(ctx.ds, new SyncRunsRepository(ctx.ds), {
      deltaMinutes: sync.deltaIntervalMinutes,
      fullMinutes: sync.fullIntervalMinutes,
    });
    const load = async () => {
      const found = await ctx.ds.getRepository(IntegrationEntity).findOneBy({ id });
      if (!found) throw inputInvalid(`No integration "${id}".`);
      return found;
    };
    if (verb === 'set') {
      if (!Object.keys(patch).length) throw inputInvalid('Nothing to set: give at least one option (see --help).');
      const dto = (await createValidationPipe().transform(patch, { type: 'body', metatype: PatchIntegrationSettingsDto })) as PatchIntegrationSettingsDto;
      const { changed, filtersChanged } = await store.apply((await load()).id, dto, { type: 'CLI', id: null });
      if (!json) {
        ctx.out(
          !changed.length
            ? 'Nothing changed.'
            : `Changed ${changed.join(', ')}.${filtersChanged ? ' A full sync with the new filters is queued; a running gateway starts it within seconds.' : ''}`,
        );
        return 0;
      }
    }
    ctx.out(await store.view(await load()));
    return 0;
  },
});
