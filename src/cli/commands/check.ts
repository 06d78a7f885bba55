/**
 * `locksim check [PATHS...]`: scenario files as CI regression checks. Every
 * file is loaded and checked first (bad input: exit 2, nothing run or
 * written); then each scenario runs, its expectations and baseline are
 * evaluated, a table is printed, and the exit code is 0 only if all hold.
 */
import type { Argv } from 'yargs';
import { writeFileAtomic } from '../../report/atomic.js';
import { InputError, isInputError } from '../../input/errors.js';
import { locksimVersion, outputHead } from '../../input/package-info.js';
import { runCount, startScenarios } from '../../pipeline.js';
import { createExecutor } from '../../sweep/executor.js';
import { DEFAULT_BASELINE_TOLERANCE } from '../../check/baseline.js';
import { junitErrorXml, junitXml } from '../../check/junit.js';
import { checkSummaryLine, checkTable, diffTable, findScenarioFiles, junitSuites, loadScenarios, reportHolds, runChecks } from '../../check/run.js';
import { formatTable } from '../../report/table.js';
import { createProgress } from '../progress.js';
import type { CommandContext } from '../context.js';
import { machineWarnings } from '../../scenario/models.js';

/** "5%" or "0.05" -> 0.05. */
export function parseTolerance(text: string): number {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const value = Number(percent ? trimmed.slice(0, -1) : trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < 0 || (!percent && value > 1)) {
    throw new InputError('invalid baseline tolerance', { file: '--baseline-tolerance', expected: 'a relative tolerance such as "5%" or 0.05', found: JSON.stringify(text) });
  }
  return percent ? value / 100 : value;
}

/** `locksim check [PATHS...]`: run scenario files as regression checks (exit 0 all hold, 1 a check failed, 2 bad input). */
export function registerCheck(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'check [paths..]',
    'Run scenario files and check their expectations (and baselines); exit 1 if any fails',
    (y) =>
      y
        .positional('paths', { type: 'string', array: true, default: ['scenarios'], describe: 'scenario files or folders (searched recursively for *.yaml)' })
        .option('junit', { type: 'string', describe: 'also write JUnit XML to this file (for CI test reporters)' })
        .option('update-baseline', { type: 'boolean', default: false, describe: 'record the results as baselines/<name>.json next to each scenario' })
        .option('baseline-tolerance', { type: 'string', default: `${DEFAULT_BASELINE_TOLERANCE * 100}%`, describe: 'relative tolerance of baseline comparisons, "5%" or 0.05' })
        .option('seeds', { type: 'number', describe: 'replications per point (overrides the files\' seeds)' })
        .option('jobs', { type: 'number', describe: 'threads running the checks, all scenarios in one pool (default and at most: one per core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print only failures and the summary line' })
        .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
        .example('$0 check', 'check every scenario under scenarios/')
        .example('$0 check scenarios/fig3-baseline.yaml --junit reports/junit.xml', 'one file, with a JUnit report for CI')
        .example('$0 check --update-baseline', 'record the current results as the baselines'),
    async (argv) => {
      const tolerance = parseTolerance(argv['baseline-tolerance']);
      const paths = (argv.paths ?? ['scenarios']).map(String);
      // Everything is loaded and checked before anything runs or is written.
      let scenarios;
      try {
        scenarios = loadScenarios(findScenarioFiles(paths), argv.seeds === undefined ? {} : { seeds: argv.seeds });
        for (const warning of machineWarnings(scenarios)) context.err(`locksim: warning: ${warning}`);
      } catch (error) {
        // A CI reporter step after a failed check still finds a file: the error as one testcase.
        if (argv.junit !== undefined && isInputError(error)) {
          await writeFileAtomic(argv.junit, junitErrorXml(error.format(), { file: error.detail.file, properties: [['locksim.version', locksimVersion()]] }));
        }
        throw error;
      }
      const startedMs = performance.now();
      const finishedS = new Map<string, number>();
      // The bar counts every run that might happen; scenarios skipped for having nothing to check just end it early.
      const totalRuns = runCount(scenarios);
      const progress = createProgress({ total: totalRuns, label: 'checking', enabled: context.isTty && !argv.quiet });
      const executor = createExecutor(argv.jobs, totalRuns);
      let report;
      try {
        report = await runChecks(scenarios, () => Promise.reject(new Error('checks run through onPlanned')), {
          updateBaseline: argv['update-baseline'],
          baselineTolerance: tolerance,
          onPlanned: (planned) => {
            const lookup = startScenarios(planned, { executor, onProgress: () => progress.tick() });
            for (const scenario of planned) lookup(scenario).then(() => finishedS.set(scenario.file, (performance.now() - startedMs) / 1000), () => undefined);
            return lookup;
          },
        });
      } finally {
        progress.stop();
        await executor.close();
      }
      if (argv.junit !== undefined) {
        const suites = junitSuites(report, { scenarios: new Map(scenarios.map((s) => [s.file, s])), timesS: finishedS, version: locksimVersion() });
        await writeFileAtomic(argv.junit, junitXml(suites, 'locksim check', { timeS: (performance.now() - startedMs) / 1000 }));
      }
      if (argv.json) {
        context.out(JSON.stringify({ ...outputHead(), ...report }, null, 2));
      } else {
        const table = checkTable(report, { quiet: argv.quiet });
        if (table.rows.length > 0) context.out(formatTable(table.header, table.rows));
        const diffs = diffTable(report);
        if (diffs.rows.length > 0 && !argv.quiet) {
          context.out(`\nchanged since the baseline (largest first):\n${formatTable(diffs.header, diffs.rows)}`);
          if (diffs.omitted > 0) context.out(`... and ${diffs.omitted} more (--json lists all)`);
        }
        for (const s of report.scenarios) if (s.baselineWritten !== undefined && !argv.quiet) context.out(`wrote ${s.baselineWritten}`);
        context.out(checkSummaryLine(report));
      }
      if (!reportHolds(report)) context.fail(1);
    },
  );
}
