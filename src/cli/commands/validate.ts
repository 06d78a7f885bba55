/**
 * `locksim validate`: the engine against queueing theory, in two parts.
 * First the engine's own table (open M/M/1 and M/D/1, the machine-repairman
 * model, Little's law; src/validation/table.ts). Then the closed forms as
 * scenario files (scenarios/validation/, or the paths given): loaded, run
 * and checked exactly as `locksim run` and `locksim check` would, so the
 * lock benchmark a user writes goes through the code these checks pass.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { REPO_ROOT } from '../../input/catalog.js';
import { checkSummaryLine, checkTable, findScenarioFiles, loadScenarios, reportHolds, runChecks } from '../../check/run.js';
import { runScenario } from '../../pipeline.js';
import { createExecutor } from '../../sweep/executor.js';
import { runValidation, DEFAULT_VALIDATION, type ValidationRow } from '../../validation/table.js';
import { formatTable } from '../../report/table.js';
import type { CommandContext } from '../context.js';

/** The closed-form scenarios shipped with locksim. */
export const VALIDATION_SCENARIOS = join(REPO_ROOT, 'scenarios', 'validation');

export function registerValidate(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'validate [paths..]',
    "Check the engine against queueing theory (M/M/1, M/D/1, machine-repairman MVA, Little's law), then the closed-form scenario files",
    (y) =>
      y
        .positional('paths', { type: 'string', array: true, describe: 'closed-form scenario files or folders (default: scenarios/validation)' })
        .option('seed', { type: 'string', default: String(DEFAULT_VALIDATION.seed), describe: "root random seed of the engine's table" })
        .option('jobs', { type: 'number', default: 1, describe: 'worker threads for the scenario runs' })
        .option('engine-only', { type: 'boolean', default: false, describe: "only the engine's table, no scenario files" })
        .option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' })
        .example('$0 validate', 'print simulated vs closed-form values and their relative error, then check scenarios/validation')
        .example('$0 validate scenarios/validation/md1n-closed.yaml', 'one closed-form scenario'),
    async (argv) => {
      const rows = runValidation({ ...DEFAULT_VALIDATION, seed: argv.seed });
      const paths = argv.paths === undefined || argv.paths.length === 0 ? [VALIDATION_SCENARIOS] : argv.paths;
      const scenarios = argv['engine-only'] ? [] : loadScenarios(findScenarioFiles(paths));
      const executor = createExecutor(argv.jobs);
      let report;
      try {
        report = await runChecks(scenarios, (scenario) => runScenario(scenario, { executor }));
      } finally {
        await executor.close();
      }
      if (argv.json) context.out(JSON.stringify({ engine: rows, scenarios: report.scenarios }, null, 2));
      else {
        context.out(renderValidation(rows));
        if (scenarios.length > 0) {
          const table = checkTable(report);
          context.out(`\n${formatTable(table.header, table.rows)}\n${checkSummaryLine(report)}`);
        }
      }
      if (rows.some((r) => !r.passed) || !reportHolds(report)) context.fail(1);
    },
  );
}

export function renderValidation(rows: readonly ValidationRow[]): string {
  const table = formatTable(
    ['model', 'metric', 'simulated', 'closed form', 'rel. error', 'tolerance', 'std. error', ''],
    rows.map((r) => [
      r.model,
      r.metric,
      r.simulated.toPrecision(6),
      r.closedForm.toPrecision(6),
      `${(r.relativeError * 100).toFixed(3)}%`,
      `${(r.tolerance * 100).toFixed(2)}%`,
      r.standardError === undefined ? '' : r.standardError.toPrecision(3),
      r.passed ? 'ok' : 'FAIL',
    ]),
  );
  const failed = rows.filter((r) => !r.passed).length;
  return `${table}\n${rows.length - failed} of ${rows.length} checks within tolerance`;
}
