/**
 * `locksim merge DIRS_OR_FILES... [--out DIR]`: combine the partial results
 * of a sharded sweep (`locksim run --shard I/N`, one per cluster task) into
 * the report a single run of the whole sweep writes.
 *
 * Every shard 0..N-1 of one scenario must be there exactly once; a missing,
 * duplicate or foreign shard is an InputError naming it (exit 2). The points
 * are laid out in the scenario's order, summarized and written by the same
 * writeRunReport as `locksim run`, so the files are the same bytes.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { completeRun, type ScenarioRun } from '../../pipeline.js';
import { mergeSweep } from '../../sweep/partial.js';
import type { CommandContext } from '../context.js';
import { commandLine } from '../format.js';
import { EXIT_CODES_EPILOGUE, writeAndAnnounceReport } from './run.js';

export interface MergeCommandOptions {
  /** Partial files, or directories searched for partial-I-of-N.json. */
  readonly inputs: readonly string[];
  readonly out?: string;
  readonly quiet?: boolean;
  readonly json?: boolean;
}

/** Merges, writes the report, prints like `run`; returns the merged run and the files written. */
export async function executeMerge(options: MergeCommandOptions, context: CommandContext): Promise<{ run: ScenarioRun; files: string[] }> {
  const merged = mergeSweep(options.inputs);
  const { scenario, points } = merged;
  const run = completeRun(scenario, points);
  const outDir = options.out ?? join('reports', scenario.name);
  // The sweep's own command line (recorded by the shards) is how to reproduce the report, not this merge.
  const command = merged.command ?? commandLine(['merge', ...options.inputs, ...(options.out === undefined ? [] : ['--out', options.out])]);
  const { files } = await writeAndAnnounceReport(run, outDir, { command, json: options.json, quiet: options.quiet, lead: `merged ${points.length} points; ` }, context);
  return { run, files };
}

export function registerMerge(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'merge <inputs..>',
    'Merge the partial results of a sharded sweep (run --shard I/N) into one report',
    (y) =>
      y
        .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'partial-I-of-N.json files, or directories holding them (searched recursively)' })
        .option('out', { type: 'string', describe: 'report directory (default reports/<scenario name>/)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no table; print only the report path' })
        .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' })
        .example('$0 merge results/shard-*', 'merge the partials the shards wrote into results/shard-0 ... results/shard-N')
        .example('$0 merge partials/ --out reports/netflix-case', 'merge every partial under partials/')
        .epilogue(EXIT_CODES_EPILOGUE),
    async (argv) => {
      await executeMerge({ inputs: argv.inputs, out: argv.out, quiet: argv.quiet, json: argv.json }, context);
    },
  );
}
