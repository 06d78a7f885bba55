/**
 * `locksim calibrate MEASUREMENTS`: fit kernel and node parameters to a
 * measurement file (src/study/calibrate.ts), print the fitted values,
 * residuals and what the data cannot identify, and write the override file
 * `run --params` takes. `--write-models` writes the fitted values into the
 * model files (how `npm run calibrate` produces the project's defaults).
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { readMeasurements } from '../../scenario/measurements.js';
import { parameterFileText } from '../../scenario/parameter-file.js';
import { CALIBRATION_DEFAULTS, calibrate, calibrationParameterFile } from '../../study/calibrate.js';
import { calibrationMarkdown, fittedTable, residualTable } from '../../study/calibrate-report.js';
import { writeFittedValues } from '../../study/calibrated-models.js';
import { ensureWritableDir, writeFileAtomic } from '../../report/atomic.js';
import { toCsv } from '../../report/csv.js';
import { formatTable } from '../../report/table.js';
import { outputHead } from '../../input/package-info.js';
import { createExecutor } from '../../sweep/executor.js';
import { InputError } from '../../input/errors.js';
import type { CommandContext } from '../context.js';
import { commandLine } from '../format.js';
import { EXIT_CODES_EPILOGUE } from './run.js';

export function registerCalibrate(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'calibrate <measurements>',
    'Fit kernel and node parameters within their ranges to measured launch storms (CSV or YAML); print fitted values, residuals and what the data cannot identify; write a parameter file for `run --params`',
    (y) =>
      y
        .positional('measurements', { type: 'string', demandOption: true, describe: 'measurement file: .csv (one row per point) or YAML (schemas/measurements.schema.json)' })
        .option('parameters', { type: 'string', array: true, describe: 'parameters to fit, comma-separated (default: the file\'s list, else every calibrated kernel and node parameter)' })
        .option('seeds', { type: 'number', describe: `replications per point, the same every evaluation (default: the file's, else ${CALIBRATION_DEFAULTS.seeds})` })
        .option('budget', { type: 'number', default: CALIBRATION_DEFAULTS.budget, describe: 'most evaluations (each runs every point once per seed); the identifiability step adds up to 2 per parameter' })
        .option('set', { type: 'string', array: true, describe: 'scenario fields for every point: path=value (YAML flow), e.g. machine=r5.metal, repeatable' })
        .option('out', { type: 'string', describe: 'directory for parameters.yaml, calibration.json, calibration.md, residuals.csv, evaluations.csv (default reports/calibrate-<name>/)' })
        .option('write-models', { type: 'boolean', default: false, describe: 'also write the fitted values into the model files (the project\'s defaults: npm run calibrate)' })
        .option('jobs', { type: 'number', describe: 'threads (default and at most: one per core; 1 runs in this process)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines and no tables; print only the parameter file\'s path' })
        .option('json', { type: 'boolean', default: false, describe: 'print calibration.json on stdout' })
        .example('$0 calibrate my-node.csv --set machine=r5.metal --set layers=50 --parameters ml_section,sandboxedServices', 'fit two parameters to your measurements')
        .example('$0 run scenarios/netflix-case.yaml --params reports/calibrate-my-node/parameters.yaml', 'then run anything on the fitted values')
        .epilogue(`Measurement CSV columns: p50_s, p50_sd_s, p99_s, p99_sd_s, failure_rate, failure_rate_sd (empty: not measured); every other column is a scenario field of the point. ${EXIT_CODES_EPILOGUE}`),
    async (argv) => {
      const measurements = readMeasurements(argv.measurements);
      if (argv.budget !== undefined && (!Number.isInteger(argv.budget) || argv.budget < 1 || argv.budget > 100_000)) {
        throw new InputError('invalid --budget', { file: '--budget', expected: 'a whole number of evaluations, 1-100000', found: String(argv.budget) });
      }
      if (argv.seeds !== undefined && (!Number.isInteger(argv.seeds) || argv.seeds < 1 || argv.seeds > 100)) {
        throw new InputError('invalid --seeds', { file: '--seeds', expected: 'a whole number 1-100', found: String(argv.seeds) });
      }
      const out = argv.out ?? join('reports', `calibrate-${measurements.name}`);
      await ensureWritableDir(out);
      const command = commandLine([
        'calibrate',
        argv.measurements,
        ...(argv.parameters === undefined ? [] : ['--parameters', argv.parameters.join(',')]),
        ...(argv.seeds === undefined ? [] : ['--seeds', String(argv.seeds)]),
        '--budget',
        String(argv.budget),
        ...(argv.set ?? []).flatMap((s) => ['--set', s]),
        ...(argv.writeModels ? ['--write-models'] : []),
      ]);
      const started = Date.now();
      let last = started;
      const executor = createExecutor(argv.jobs);
      const result = await calibrate({
        measurements,
        ...(argv.parameters === undefined ? {} : { parameters: argv.parameters.map(String) }),
        ...(argv.seeds === undefined ? {} : { seeds: argv.seeds }),
        budget: argv.budget,
        set: argv.set ?? [],
        executor,
        onEvaluation: (evaluation, done, budget) => {
          if (argv.quiet || argv.json) return;
          const now = Date.now();
          const values = Object.entries(evaluation.values).map(([name, value]) => `${name}=${Number(value.toPrecision(4))}`).join(' ');
          context.err(`[${done}/${budget}] ${evaluation.phase}: chi-square ${evaluation.chiSquare.toFixed(2)}  ${values} (${((now - last) / 1000).toFixed(1)} s)`);
          last = now;
        },
      }).finally(() => executor.close());
      const seconds = (Date.now() - started) / 1000;
      const parameterFile = join(out, 'parameters.yaml');
      const document = { ...outputHead(), command, ...result };
      await writeFileAtomic(parameterFile, parameterFileText(calibrationParameterFile(result), '../../schemas/parameters.schema.json'));
      await writeFileAtomic(join(out, 'calibration.json'), `${JSON.stringify(document, null, 2)}\n`);
      await writeFileAtomic(join(out, 'calibration.md'), calibrationMarkdown(result, command));
      const residuals = residualTable(result);
      await writeFileAtomic(join(out, 'residuals.csv'), toCsv(result.residuals.map((r) => ({ ...r }))));
      await writeFileAtomic(
        join(out, 'evaluations.csv'),
        toCsv(result.evaluations.map((e) => ({ index: e.index, phase: e.phase, chi_square: e.chiSquare, ...e.values }))),
      );
      const written = argv.writeModels ? writeFittedValues(result.parameters, measurements.file) : [];
      if (argv.json) {
        context.out(JSON.stringify(document, null, 2));
        return;
      }
      if (argv.quiet) {
        context.out(parameterFile);
        return;
      }
      const fitted = fittedTable(result);
      const unidentified = result.parameters.filter((p) => !p.identified).map((p) => p.name);
      context.out(formatTable(fitted.header, fitted.rows));
      context.out('');
      context.out(formatTable(residuals.header, residuals.rows));
      context.out(
        `\nchi-square ${result.chiSquare.toFixed(2)} (was ${result.initialChiSquare.toFixed(2)}) over ${result.measuredValues} measured values, ${result.evaluations.length} evaluations, ${seconds.toFixed(0)} s.` +
          (unidentified.length > 0 ? `\nThe data cannot identify: ${unidentified.join(', ')} (left where the model files put them unless a move improved the fit).` : '\nThe data identify every parameter fitted.'),
      );
      if (written.length > 0) context.out(`wrote the fitted values into ${written.join(', ')}`);
      context.out(`wrote ${parameterFile} (use it with \`locksim run SCENARIO --params ${parameterFile}\`), calibration.json, calibration.md, residuals.csv, evaluations.csv`);
    },
  );
}
