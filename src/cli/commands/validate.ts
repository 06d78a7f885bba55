import type { Argv } from 'yargs';
import { runValidation, DEFAULT_VALIDATION, type ValidationRow } from '../../validation/table.js';
import { formatTable } from '../../report/table.js';
import type { CommandContext } from '../context.js';

export function registerValidate(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'validate',
    'Check the engine against queueing theory (M/M/1, M/D/1, machine-repairman MVA, Little\'s law)',
    (y) =>
      y
        .option('seed', { type: 'string', default: String(DEFAULT_VALIDATION.seed), describe: 'root random seed' })
        .option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' })
        .example('$0 validate', 'print simulated vs closed-form values and their relative error'),
    (argv) => {
      const rows = runValidation({ ...DEFAULT_VALIDATION, seed: argv.seed });
      if (argv.json) context.out(JSON.stringify(rows, null, 2));
      else context.out(renderValidation(rows));
      if (rows.some((r) => !r.passed)) context.fail(1);
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
