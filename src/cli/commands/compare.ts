/**
 * `locksim compare SCENARIO --machines a,b,c`: the same workload on several
 * machines, one report. Implemented as the override `sweep.machine=[a,b,c]`,
 * so the machines become a sweep axis like any other (replacing one the file
 * may already have) and every name is checked by the scenario loader.
 */
import type { Argv } from 'yargs';
import { InputError } from '../../input/errors.js';
import { findMachineModel, parseMachineSpec } from '../../topology/index.js';
import type { ModelCatalog } from '../../input/catalog.js';
import type { CommandContext } from '../context.js';
import { commandLine } from '../format.js';
import { EXIT_CODES_EPILOGUE, canonicalArgs, executeRun, scenarioRunOptions } from './run.js';

/** "a, b,c" -> ["a","b","c"]; empty entries and an empty list are input errors. */
export function parseMachineList(text: string): string[] {
  const machines = text.split(',').map((m) => m.trim());
  if (machines.length === 0 || machines.some((m) => m === '')) {
    throw new InputError('invalid machine list', { file: '--machines', expected: 'comma-separated machine names, e.g. r5.metal,m7i.metal-24xl,m7a.24xlarge', found: JSON.stringify(text), hint: '`locksim models` lists the families.' });
  }
  if (new Set(machines).size !== machines.length) {
    throw new InputError('a machine is listed twice', { file: '--machines', expected: 'distinct machine names', found: JSON.stringify(text) });
  }
  return machines;
}

/** Checks each name's family exists, so an error names --machines rather than the override it becomes. */
export function checkMachineNames(machines: readonly string[], flag: string, catalog?: ModelCatalog): void {
  for (const machine of machines) {
    try {
      findMachineModel(parseMachineSpec(machine).family, catalog);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.message, { ...error.detail, file: flag, path: undefined });
      throw error;
    }
  }
}

/** The `--set` override that sweeps the machine over the list (flow YAML, each name quoted). */
export function machineSweepOverride(machines: readonly string[]): string {
  return `sweep.machine=[${machines.map((m) => JSON.stringify(m)).join(', ')}]`;
}

export function registerCompare(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'compare <scenario>',
    'Run a scenario on several machines (the machine swept over --machines), one report',
    (y) =>
      scenarioRunOptions(y)
        .option('machines', { type: 'string', demandOption: true, describe: 'comma-separated machines, variants allowed: r5.metal,m7i.metal-24xl+ht-off' })
        .option('out', { type: 'string', describe: 'report directory (default reports/<scenario name>-compare/)' })
        .example('$0 compare scenarios/netflix-case.yaml --machines r5.metal,m7i.metal-24xl,m7a.24xlarge', 'the Netflix case on the blog\'s three families')
        .example('$0 compare scenarios/fig6-ht.yaml --machines m7i.metal-24xl,m7i.metal-24xl+ht-off --set "sweep.containers=[50,150]"', 'HT on vs off at two concurrencies')
        .epilogue(EXIT_CODES_EPILOGUE),
    async (argv) => {
      const machines = parseMachineList(argv.machines);
      checkMachineNames(machines, '--machines');
      await executeRun(
        {
          scenario: argv.scenario,
          set: [...(argv.set ?? []), machineSweepOverride(machines)],
          params: argv.params,
          seed: argv.seed,
          seeds: argv.seeds,
          out: argv.out,
          quiet: argv.quiet,
          json: argv.json,
          jobs: argv.jobs,
          outSuffix: '-compare',
          onset: argv.onset,
          command: commandLine(canonicalArgs('compare', argv.scenario, argv, ['--machines', machines.join(',')])),
        },
        context,
      );
    },
  );
}
