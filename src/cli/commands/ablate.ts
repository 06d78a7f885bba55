import type { Argv } from 'yargs';
import { basename, join } from 'node:path';
import { parseMechanismList, runAblation } from '../../study/ablation.js';
import { SHARES_NOTE, ablationTextTable, writeAblationReport } from '../../study/ablation-report.js';
import { ensureWritableDir } from '../../report/atomic.js';
import { formatTable } from '../../report/table.js';
import { shellWord, studyExecution } from '../progress.js';
import type { CommandContext } from '../context.js';


/** `locksim ablate SCENARIO`: each mechanism off in turn, its contribution to p50/p99 latency and failure rate. */
export function registerAblate(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'ablate <scenario>',
    'Run a launch scenario with each mechanism switched off in turn and report what each contributes',
    (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'a launch scenario file' })
        .option('mechanisms', { type: 'string', array: true, describe: 'mechanisms to switch off, comma-separated (default all)' })
        .option('set', { type: 'string', array: true, default: [], describe: 'override a field of every run, path=value (repeatable)' })
        .option('seeds', { type: 'number', describe: 'replications per point (overrides the file\'s seeds)' })
        .option('out', { type: 'string', describe: 'report directory (default reports/<scenario>-ablation)' })
        .option('jobs', { type: 'number', describe: 'threads running the variants, all in one pool (default and at most: one per core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress and no table; only the files written' })
        .example('$0 ablate scenarios/netflix-case.yaml --seeds 1', 'what each mechanism carries across the three families')
        .example('$0 ablate scenarios/netflix-case.yaml --mechanisms propagation,perCpuSums --set sweep.containers=[20,200]', 'two mechanisms at two concurrencies'),
    async (argv) => {
      const mechanisms = parseMechanismList(argv.mechanisms?.map(String));
      const set = (argv.set ?? []).map(String);
      const showProgress = context.isTty && !argv.quiet;
      let out = argv.out ?? '';
      // Every variant's runs share one pool; the bar counts them all.
      const execution = studyExecution(argv.jobs, showProgress);
      const study = await runAblation(argv.scenario, {
        mechanisms,
        set,
        ...(argv.seeds === undefined ? {} : { seeds: argv.seeds }),
        onLoaded: async (scenario) => {
          if (out === '') out = join('reports', `${scenario.name}-ablation`);
          await ensureWritableDir(out);
        },
        onVariant: (label, index, total) => {
          if (!argv.quiet) context.err(`[${index + 1}/${total}] ${label}`);
        },
        executor: execution.executor,
        onProgress: execution.onProgress,
      }).finally(() => execution.close());
      if (!argv.quiet) {
        const table = ablationTextTable(study.rows);
        context.out(formatTable(table.header, table.rows));
        context.out(`\n${SHARES_NOTE}`);
        if (study.skipped.length > 0) context.out(`Not ablated (already off in the baseline): ${study.skipped.join(', ')}.`);
      }
      const command = ['locksim', 'ablate', argv.scenario, ...(argv.mechanisms === undefined ? [] : ['--mechanisms', mechanisms.join(',')]), ...set.flatMap((s) => ['--set', s]), ...(argv.seeds === undefined ? [] : ['--seeds', String(argv.seeds)]), ...(argv.out === undefined ? [] : ['--out', argv.out])]
        .map(shellWord)
        .join(' ');
      const written = await writeAblationReport(study, out, { command });
      context.out(`wrote ${written.map((file) => basename(file)).join(', ')} in ${out}`);
    },
  );
}
