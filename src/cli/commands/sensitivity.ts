/**
 * `locksim sensitivity`: each calibrated parameter at the ends of its range,
 * the R2-R8/R10 checks re-evaluated, and the range over which each target
 * holds, as sensitivity.csv and a README-ready sensitivity.md. Long: it
 * prints one line per evaluation (with wall time, which only informs the
 * reader) unless --quiet. Every evaluation's runs share one thread pool.
 */
import type { Argv } from 'yargs';
import { join } from 'node:path';
import { ensureWritableDir, writeFileAtomic } from '../../report/atomic.js';
import { toCsv } from '../../report/csv.js';
import { parseRangePoints, runSensitivity, sensitivityCsvRows, sensitivityMarkdown } from '../../study/sensitivity.js';
import { formatTable } from '../../report/table.js';
import { shellWord, studyExecution } from '../progress.js';
import type { CommandContext } from '../context.js';


export function registerSensitivity(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'sensitivity',
    'Move each calibrated parameter across its range and report where R2-R8 and R10 still hold',
    (y) =>
      y
        .option('parameters', { type: 'string', array: true, describe: 'parameters to sweep, comma-separated: kernel or node parameter names, and machine.NAME for a machine file value swept to each family\'s own range ends (default every calibrated kernel and node parameter and every machine parameter)' })
        .option('checks', { type: 'string', array: true, default: [join('scenarios', 'checks')], describe: 'check scenario files or folders (R2-R8 and R10 are used)' })
        .option('points', { type: 'string', array: true, describe: 'points of each range to test: low, mid, high (default low,high)' })
        .option('seeds', { type: 'number', default: 1, describe: 'replications per point of every check scenario' })
        .option('out', { type: 'string', default: join('reports', 'sensitivity'), describe: 'directory for sensitivity.csv and sensitivity.md' })
        .option('jobs', { type: 'number', describe: 'threads running the study, every evaluation in one pool (default and at most: one per core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines and no table' })
        .example('$0 sensitivity --parameters ml_section --checks scenarios/checks/r3-failure-ramp.yaml', 'one parameter on one target')
        .example('$0 sensitivity --parameters machine.missesInFlight,machine.fanOutRead', 'two machine values, every family at the ends of its own range')
        .example('$0 sensitivity --seeds 2', 'the whole study (hours on a small machine)'),
    async (argv) => {
      const points = parseRangePoints(argv.points?.map(String));
      const checks = (argv.checks ?? []).map(String);
      // The output folder is checked before hours of simulation, not after.
      await ensureWritableDir(argv.out);
      const started = Date.now();
      let last = started;
      // Every evaluation's runs share one pool, costliest first: the bar shows runs, the lines evaluations as they complete.
      const execution = studyExecution(argv.jobs, context.isTty && !argv.quiet);
      const study = await runSensitivity({
        checks,
        points,
        seeds: argv.seeds,
        executor: execution.executor,
        onProgress: execution.onProgress,
        ...(argv.parameters === undefined ? {} : { parameters: argv.parameters.map(String) }),
        onEvaluation: (e) => {
          if (argv.quiet) return;
          const now = Date.now();
          const what = e.parameter === undefined ? 'defaults' : `${e.parameter} = ${e.valueText} (${e.point})`;
          context.err(`[${e.done}/${e.total}] ${what}: ${e.target} ${e.verdict} (${((now - last) / 1000).toFixed(1)} s)`);
          last = now;
        },
      }).finally(() => execution.close());
      const command = [
        'locksim',
        'sensitivity',
        ...(argv.parameters === undefined ? [] : ['--parameters', argv.parameters.join(',')]),
        ...checks.flatMap((c) => ['--checks', c]),
        '--points',
        points.join(','),
        '--seeds',
        String(argv.seeds),
      ]
        .map(shellWord)
        .join(' ');
      const extra = [
        ...(study.parameterFree.length > 0 ? [`${study.parameterFree.join(', ')} read no kernel or node parameter (pause_bench), so their verdict is the defaults' throughout.`] : []),
        'Machine files carry calibrated values too (e.g. smtSlowdown, the same for every family); they are topology data and are not swept here.',
      ];
      const csvFile = join(argv.out, 'sensitivity.csv');
      const mdFile = join(argv.out, 'sensitivity.md');
      await writeFileAtomic(csvFile, toCsv(sensitivityCsvRows(study.table)));
      await writeFileAtomic(mdFile, sensitivityMarkdown(study.table, { seeds: study.seeds, command, extra }));
      if (!argv.quiet) {
        const table = study.table;
        context.out(formatTable(['parameter', 'default', 'range', ...table.targets], table.robustness.map((r) => [r.parameter, r.defaultText, r.rangeText, ...table.targets.map((t) => r.holding[t]?.text ?? '')])));
        context.out(`\n${((Date.now() - started) / 1000).toFixed(0)} s of wall time`);
      }
      context.out(`wrote ${csvFile}, ${mdFile}`);
    },
  );
}
