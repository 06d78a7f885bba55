/**
 * `locksim report DIR`: redraw a report (summary, charts, CSV, folded stacks,
 * index.html) from its resolved.json and results.json, without simulating.
 * Useful after a change to the charts or the page, or to a results.json
 * edited by hand. The same stored results give the same bytes as the run.
 */
import type { Argv } from 'yargs';
import { join } from 'node:path';
import { rerenderReport } from '../../report/write-run.js';
import type { CommandContext } from '../context.js';
import { EXIT_CODES_EPILOGUE, locksimVersion } from './run.js';

export async function executeReport(dir: string, options: { quiet?: boolean }, context: CommandContext): Promise<string[]> {
  const files = await rerenderReport(dir, { version: locksimVersion() });
  if (options.quiet === true) context.out(join(dir, 'index.html'));
  else context.out(`redrew ${files.length} files in ${dir}/; open ${join(dir, 'index.html')}`);
  return files;
}

export function registerReport(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'report <dir>',
    'Redraw a report directory from its results.json and resolved.json, without simulating',
    (y) =>
      y
        .positional('dir', { type: 'string', demandOption: true, describe: 'a directory written by `locksim run` or `locksim compare`' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print only the path of index.html' })
        .example('$0 report reports/netflix-case', 'redraw the Netflix case report')
        .epilogue(EXIT_CODES_EPILOGUE),
    async (argv) => {
      await executeReport(argv.dir, { quiet: argv.quiet }, context);
    },
  );
}
