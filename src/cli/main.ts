import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
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
import { registerMerge } from './commands/merge.js';
import { registerBench } from './commands/bench.js';

import { EXIT } from './exit-codes.js';
import { describeFailure } from './failure.js';

const context: CommandContext = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  fail: (code) => {
    if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
  },
  isTty: process.stdout.isTTY === true,
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
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error;
      ctx.err(`locksim: ${message}`);
      ctx.err('Run `locksim --help` for usage.');
      process.exit(EXIT.usage);
    });
  for (const register of commands) cli = register(cli, ctx);
  return cli;
}

type Register = (cli: Argv, ctx: CommandContext) => Argv;
const commands: Register[] = [registerRun, registerCompare, registerPlan, registerReport, registerValidate, registerModels, registerCheck, registerAblate, registerSensitivity, registerBench, registerMerge];

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli(argv, context).parseAsync();
  } catch (error) {
    const failure = describeFailure(error);
    context.err(`locksim: ${failure.message}`);
    process.exitCode = failure.code;
  }
}

await main(hideBin(process.argv));
