/**
 * The command line as a function: every command registered on yargs, and
 * `runCli`, which runs one command line against a CommandContext and returns
 * its exit code. main.ts binds it to the process; tests call it in-process.
 */
import yargs, { type Argv } from 'yargs';
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
import { registerCalibrate } from './commands/calibrate.js';
import { registerUncertainty } from './commands/uncertainty.js';
import { EXIT } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { locksimVersion } from '../input/package-info.js';
import { knownFlags, unknownFlagHint } from './flag-hints.js';
import { existsSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';
import { MODELS_PATH_ENV, modelSearchPath } from '../input/catalog.js';
import { InputError } from '../input/errors.js';

export function buildCli(argv: string[], ctx: CommandContext): Argv {
  let cli: Argv = yargs(argv)
    .scriptName('locksim')
    .usage('$0 <command> [options]\n\nSimulate kernel lock contention across CPU topologies.')
    .strict()
    .demandCommand(1, 'Name a command; `locksim --help` lists them.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(locksimVersion())
    .option('models', {
      type: 'string',
      array: true,
      global: true,
      describe: `a folder of your own models (machines/, kernel/, nodes/, runtimes/, or machine files alone), searched before locksim's; repeatable; also ${MODELS_PATH_ENV}`,
    })
    .middleware((args) => {
      const dirs = ((args.models as string[] | undefined) ?? []).map((dir) => resolve(String(dir)));
      if (dirs.length === 0) return;
      for (const dir of dirs) {
        if (!existsSync(dir)) throw new InputError('the models folder does not exist', { file: '--models', expected: 'an existing folder of model files', found: dir });
      }
      // Every catalog made while this command runs reads the search path from here (input/catalog.ts).
      process.env[MODELS_PATH_ENV] = [...dirs, ...modelSearchPath()].join(delimiter);
    }, true)
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
const commands: Register[] = [registerRun, registerCompare, registerPlan, registerReport, registerValidate, registerModels, registerCheck, registerAblate, registerPairs, registerSensitivity, registerBench, registerMerge, registerMetrics, registerDiff, registerCalibrate, registerUncertainty];

/** Runs one command line; returns its exit code (0, or what the command or its failure set: see failure.ts). */
export async function runCli(argv: string[], ctx: CommandContext): Promise<number> {
  let code: number = EXIT.ok;
  const recorded: CommandContext = {
    ...ctx,
    fail: (failed) => {
      if (code === EXIT.ok) code = failed;
      ctx.fail(failed);
    },
  };
  // --models extends the search path for this command line only (tests run many in one process).
  const modelsPath = process.env[MODELS_PATH_ENV];
  try {
    await buildCli(argv, recorded).parseAsync();
  } catch (error) {
    const failure = describeFailure(error);
    ctx.err(`locksim: ${failure.message}`);
    code = failure.code;
  } finally {
    if (modelsPath === undefined) delete process.env[MODELS_PATH_ENV];
    else process.env[MODELS_PATH_ENV] = modelsPath;
  }
  return code;
}
