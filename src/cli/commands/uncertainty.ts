/**
 * `locksim uncertainty SCENARIO...`: per conclusion a scenario draws (its
 * `expect:` entries), the share of the parameter space it holds in and
 * intervals on its figure (src/study/uncertainty.ts), as a table, a chart
 * and files.
 */
import type { Argv } from 'yargs';
import { basename, join } from 'node:path';
import { createExecutor } from '../../sweep/executor.js';
import { runUncertainty, UNCERTAINTY_DEFAULTS } from '../../study/uncertainty.js';
import { allHoldLines, UNCERTAINTY_NOTE, uncertaintyTable, writeUncertaintyReport } from '../../study/uncertainty-report.js';
import { ensureWritableDir } from '../../report/atomic.js';
import { formatTable } from '../../report/table.js';
import { InputError } from '../../input/errors.js';
import { createProgress } from '../progress.js';
import { commandLine } from '../format.js';
import { EXIT_CODES_EPILOGUE } from './run.js';
import type { CommandContext } from '../context.js';

export function registerUncertainty(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'uncertainty <scenarios..>',
    'Sample the uncertain parameters (Latin hypercube over their stated ranges, the same seeds every sample) and give, for each conclusion the scenarios draw, the share of samples it holds in and an interval on its figure',
    (y) =>
      y
        .positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario files or folders; their `expect:` entries are the conclusions tested' })
        .option('samples', { type: 'number', default: UNCERTAINTY_DEFAULTS.samples, describe: 'Latin hypercube samples (each runs every scenario once)' })
        .option('seeds', { type: 'number', describe: 'replications per point, the same in every sample (default: each file\'s seeds)' })
        .option('parameters', { type: 'string', array: true, describe: 'parameters to vary, comma-separated: kernel or node names, machine.NAME (default: every uncertain calibrated kernel and node parameter and every machine value)' })
        .option('design-seed', { type: 'string', default: UNCERTAINTY_DEFAULTS.lhsSeed, describe: 'seed of the Latin hypercube' })
        .option('set', { type: 'string', array: true, default: [], describe: 'override a field of every run, path=value (repeatable)' })
        .option('out', { type: 'string', describe: 'report directory (default reports/uncertainty-<first scenario\'s file name>/)' })
        .option('jobs', { type: 'number', describe: 'threads, all runs in one pool (default: every core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress and no table; only the files written' })
        .example('$0 uncertainty scenarios/checks/r4-families-at-scale.yaml --samples 32', 'how much of the parameter space R4\'s ordering of families holds in')
        .example('$0 uncertainty scenarios/checks --samples 16 --seeds 1', 'every target at once')
        .epilogue(EXIT_CODES_EPILOGUE),
    async (argv) => {
      if (!Number.isInteger(argv.seeds ?? 1) || (argv.seeds ?? 1) < 1 || (argv.seeds ?? 1) > 100) {
        throw new InputError('invalid --seeds', { file: '--seeds', expected: 'a whole number 1-100', found: String(argv.seeds) });
      }
      const paths = argv.scenarios.map(String);
      const out = argv.out ?? join('reports', `uncertainty-${basename(paths[0]).replace(/\.ya?ml$/i, '')}`);
      const set = (argv.set ?? []).map(String);
      const showProgress = context.isTty && !argv.quiet;
      let progress: ReturnType<typeof createProgress> | undefined;
      await ensureWritableDir(out);
      const started = Date.now();
      const executor = createExecutor(argv.jobs);
      const study = await runUncertainty({
        paths,
        samples: argv.samples,
        ...(argv.seeds === undefined ? {} : { seeds: argv.seeds }),
        ...(argv.parameters === undefined ? {} : { parameters: argv.parameters.map(String) }),
        lhsSeed: argv.designSeed,
        set,
        executor,
        onProgress: (_done, total) => {
          progress ??= createProgress({ total, label: 'simulating', enabled: showProgress });
          progress.tick();
        },
      }).finally(async () => {
        progress?.stop();
        await executor.close();
      });
      const command = commandLine([
        'uncertainty',
        ...paths,
        '--samples',
        String(argv.samples),
        ...(argv.seeds === undefined ? [] : ['--seeds', String(argv.seeds)]),
        ...(argv.parameters === undefined ? [] : ['--parameters', argv.parameters.join(',')]),
        ...(argv.designSeed === UNCERTAINTY_DEFAULTS.lhsSeed ? [] : ['--design-seed', argv.designSeed]),
        ...set.flatMap((s) => ['--set', s]),
      ]);
      if (!argv.quiet) {
        const table = uncertaintyTable(study);
        context.out(formatTable(table.header, table.rows));
        context.out(`\n${allHoldLines(study).join('\n')}\n\n${UNCERTAINTY_NOTE}`);
      }
      const written = await writeUncertaintyReport(study, out, command);
      const runs = study.samples.length + 1;
      context.out(`${runs} x ${study.scenarios.length} scenario run(s) in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${written.join(', ')} in ${out}`);
    },
  );
}
