import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isInputError } from '../input/errors.js';
import { SimulationLimitError } from '../engine/index.js';
import type { CommandContext } from './context.js';
import { registerValidate } from './commands/validate.js';
import { registerModels } from './commands/models.js';
import { registerCheck } from './commands/check.js';
import { registerRun } from './commands/run.js';
import { registerCompare } from './commands/compare.js';
import { registerPlan } from './commands/plan.js';
import { registerReport } from './commands/report.js';
import { registerAblate } from './commands/ablate.js';
import { registerSensitivity } from './commands/sensitivity.js';
import { registerPairs } from './commands/pairs.js';
import { registerMerge } from './commands/merge.js';
import { registerBench } from './commands/bench.js';
import { registerMetrics } from './commands/metrics.js';
import { registerDiff } from './commands/diff.js';

import { EXIT } from './exit-codes.js';
import { locksimVersion } from '../input/package-info.js';
import { knownFlags, unknownFlagHint } from './flag-hints.js';

const context: CommandContext = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => {
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
  },
  isTty: process.stderr.isTTY === true,
};

export function buildCli(argv: string[], ctx: CommandContext): Argv {
  let cli = yargs(argv)
    .scriptName('locksim')
    .usage('$0 <command> [options]\n\nSimulate kernel lock contention across CPU topologies.')
    .strict()
    .demandCommand(1, 'Name a command; `locksim --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(locksimVersion())
    .completion('completion', 'Print a shell completion script (bash, zsh): locksim completion >> ~/.bashrc')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      // While a command runs, the parser holds that command's options (its builder ran on it).
      ctx.err(`locksim: ${message}${unknownFlagHint(message, knownFlags(cli))}`);
      ctx.err('Run `locksim --help` for usage.');
      process.exit(EXIT.usage);
    });
  for (const register of commands) cli = register(cli, ctx);
  return cli;
}

type Register = (cli: Argv, ctx: CommandContext) => Argv;
const commands: Register[] = [registerRun, registerCompare, registerPlan, registerReport, registerValidate, registerModels, registerCheck, registerAblate, registerPairs, registerSensitivity, registerBench, registerMerge, registerMetrics, registerDiff];

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli(argv, context).parseAsync();
  } catch (error) {
    if (isInputError(error)) {
      context.err(`locksim: ${error.format()}`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof SimulationLimitError) {
      const field = { maxEvents: 'maxEvents', maxTimeNs: 'maxSimulatedTime', maxHeapBytes: 'maxMemory' }[error.limit];
      context.err(`locksim: ${error.message}. Raise it with \`limits: {${field}: ...}\` in the scenario or --set limits.${field}=VALUE, or run a smaller scenario.`);
      process.exitCode = EXIT.limit;
    } else {
      context.err(`locksim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = EXIT.internal;
    }
  }
}

await main(hideBin(process.argv));
