// `npm run cli -- housekeeping run`: one pruning pass now, e.g. before a backup or after
// lowering a retention setting, without waiting for a worker's next ten-minute run.
import { CLI_COMMANDS, CliContext } from '../cli.commands';
import { Housekeeping } from './housekeeping';

CLI_COMMANDS.push({
  usage: 'housekeeping run [--json]                                        prunes what is past its retention now',
  matches: (g, a) => g === 'housekeeping' && a === 'run',
  async run(ctx: CliContext) {
    const pruned = await new Housekeeping(ctx.ds, ctx.config).run();
    if (pruned === null) {
      ctx.out(ctx.options.json ? { skipped: 'another process is pruning' } : 'Another process is pruning right now; nothing done.');
      return 1;
    }
    if (ctx.options.json) ctx.out({ pruned });
    else {
      ctx.out(
        `Rows pruned:\n${Object.entries(pruned)
          .map(([table, n]) => `  ${table}: ${n}`)
          .join('\n')}`,
      );
    }
    return 0;
  },
});
