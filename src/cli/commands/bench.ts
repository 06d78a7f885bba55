import type { Argv } from 'yargs';
import type { CommandContext } from '../context.js';
import { formatBenchmarks, runBenchmarks } from '../../bench/run.js';

export function registerBench(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'bench',
    'Measure speed: the engine against a bare heap, pause_bench, launch storms and their scaling (as `npm run bench`)',
    (y) => y.option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' }).example('$0 bench', 'print the speed table'),
    async (argv) => {
      const rows = await runBenchmarks();
      context.out(argv.json ? JSON.stringify(rows, null, 2) : formatBenchmarks(rows));
    },
  );
}
