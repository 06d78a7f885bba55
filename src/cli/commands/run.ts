/**
 * `locksim run SCENARIO`: load, run every point once per seed, print the
 * compact summary table, write the report directory, print where it is.
 * `locksim compare` (compare.ts) is this with the machine swept.
 *
 * Everything the user can get wrong (the file, `--set`, `--seed`, the output
 * directory) is checked before any simulation time is spent.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../../input/errors.js';
import { loadScenario, runScenario, runShard, runCount, type ScenarioRun } from '../../pipeline.js';
import { createExecutor, SweepInterruptedError } from '../../sweep/executor.js';
import { resolveShard } from '../../sweep/shard.js';
import { writePartial } from '../../sweep/partial.js';
import { interruptOnSignals } from '../signals.js';
import { EXIT } from '../exit-codes.js';
import { ensureWritableDir } from '../../report/atomic.js';
import { withReportLock } from '../../report/report-dir.js';
import type { Shard } from '../../sweep/shard.js';
import { writeRunReport } from '../../report/write-run.js';
import { summaryDocument } from '../../report/documents.js';
import { findOnsets } from '../../study/onset.js';
import type { FailureOnset } from '../../analysis/onset.js';
import type { ResolvedScenario } from '../../scenario/types.js';
import { machineWarnings } from '../../scenario/models.js';
import type { CommandContext } from '../context.js';
import { commandLine, summaryTable } from '../format.js';
import { parameterFileSets, readParameterFile } from '../../scenario/parameter-file.js';
import { workloadKind } from '../../workloads/registry.js';
import { createProgress } from '../progress.js';

export { locksimVersion } from '../../input/package-info.js';
import { locksimVersion } from '../../input/package-info.js';

const SEED_PATTERN = /^[A-Za-z0-9._-]+$/;

/**
 * Seeds from `--seed S` and a count: S, S+1, ... when S is a whole number,
 * else S-1, S-2, ... (just S for one seed).
 */
export function seedList(seed: string, count: number): string[] {
  if (!SEED_PATTERN.test(seed)) {
    throw new InputError('invalid seed', { file: '--seed', expected: 'letters, digits, ".", "_" and "-", e.g. 42 or nightly-7', found: JSON.stringify(seed) });
  }
  if (/^\d+$/.test(seed) && Number.isSafeInteger(Number(seed) + count)) return Array.from({ length: count }, (_, i) => String(Number(seed) + i));
  return count === 1 ? [seed] : Array.from({ length: count }, (_, i) => `${seed}-${i + 1}`);
}

export interface ScenarioArgs {
  readonly scenario: string;
  readonly set?: readonly string[];
  readonly seed?: string;
  readonly seeds?: number;
  /** A parameter file (locksim calibrate's output): its values apply before `set`. */
  readonly params?: string;
}

/** `--set` entries of a parameter file, for a scenario file (model parameters only where its kind has them). */
export function parameterFileOverrides(params: string | undefined, scenarioFile: string): string[] {
  if (params === undefined) return [];
  const file = readParameterFile(params);
  const kind = loadScenario(scenarioFile).kind;
  const properties = (workloadKind(kind).schema as { properties?: Record<string, unknown> }).properties ?? {};
  const sets = parameterFileSets(file, { modelParameters: 'parameters' in properties });
  try {
    // A value the models refuse is the parameter file's fault: say so, not `--set`.
    loadScenario(scenarioFile, { set: sets });
  } catch (error) {
    if (error instanceof InputError && error.detail.file === '--set') throw new InputError(error.message, { ...error.detail, file: params, line: undefined, column: undefined });
    throw error;
  }
  return sets;
}

/** Loads the scenario with `--params`, `--set`, `--seeds` and `--seed` applied (all errors are InputErrors). */
export function loadRunScenario(args: ScenarioArgs): ResolvedScenario {
  const set = [...parameterFileOverrides(args.params, args.scenario), ...(args.set ?? [])];
  const loaded = loadScenario(args.scenario, { set, seeds: args.seeds });
  if (args.seed === undefined) return loaded;
  const seeds = seedList(args.seed, args.seeds ?? loaded.seeds.length);
  // Quoted YAML strings: a seed like "007" must stay a string, not become the number 7.
  return loadScenario(args.scenario, { set: [...set, `seeds=[${seeds.map((s) => JSON.stringify(s)).join(', ')}]`] });
}

export interface RunCommandOptions extends ScenarioArgs {
  readonly out?: string;
  readonly quiet?: boolean;
  readonly json?: boolean;
  readonly jobs?: number;
  /** The canonical command line, for "how to reproduce". */
  readonly command: string;
  /** Default output directory when `out` is not given: reports/<name><suffix>. */
  readonly outSuffix?: string;
  /** `I/N`: run every N-th point from I and write a partial result (merge with `locksim merge`). */
  readonly shard?: string;
  /** Require a shard from the environment (Kubernetes Indexed Job, Slurm array). */
  readonly shardFromEnv?: boolean;
  /** Directory of the run journal; finished runs survive an interruption. */
  readonly checkpoint?: string;
  /** Continue from the journal instead of starting over. */
  readonly resume?: boolean;
  /** Bisect each series' failure onset between sweep points (default true; --no-onset). */
  readonly onset?: boolean;
}

/** The body of `run` and `compare`: returns the report's index.html path. */
export async function executeRun(options: RunCommandOptions, context: CommandContext): Promise<string> {
  const scenario = loadRunScenario(options);
  for (const warning of machineWarnings([scenario])) context.err(`locksim: warning: ${warning}`);
  const outDir = options.out ?? join('reports', `${scenario.name}${options.outSuffix ?? ''}`);
  // Without --shard, a scheduler's array index in the environment selects the shard (issue 9).
  const shard = resolveShard({ shard: options.shard, requireEnvironment: options.shardFromEnv }, process.env);
  await ensureWritableDir(outDir);
  const sweep = (): Promise<string> => sweepAndReport(scenario, outDir, shard, options, context);
  // A second locksim writing this report is refused now, before either simulates (report-dir.ts);
  // shards may share a folder: each writes only its own partial.
  return shard === undefined ? withReportLock(outDir, '--out', sweep) : sweep();
}

async function sweepAndReport(scenario: ResolvedScenario, outDir: string, shard: Shard | undefined, options: RunCommandOptions, context: CommandContext): Promise<string> {
  const checkpointDir = options.checkpoint ?? (options.resume === true ? join(outDir, shard === undefined ? 'checkpoint' : `checkpoint-${shard.index}-of-${shard.count}`) : undefined);
  const total = runCount([scenario]);
  const progress = createProgress({ total, label: `${scenario.name}`, enabled: context.isTty && options.quiet !== true });
  const interrupt = interruptOnSignals();
  const executor = createExecutor(options.jobs, total);
  let shown = 0;
  const runOptions = {
    executor,
    signal: interrupt.signal,
    checkpoint: checkpointDir === undefined ? undefined : { dir: checkpointDir, resume: options.resume === true },
    onProgress: (done: number) => {
      // Resumed runs count as done from the start; the bar moves by the difference.
      progress.tick(done - shown);
      shown = done;
    },
  };
  let run: ScenarioRun | undefined;
  let onsets: FailureOnset[] = [];
  try {
    if (shard === undefined) {
      run = await runScenario(scenario, runOptions);
      // Same executor, same seeds: the onset is as deterministic as the sweep.
      if (options.onset !== false) onsets = await findOnsets(run, (derived) => runScenario(derived, { executor, signal: interrupt.signal }));
    } else {
      const partial = await runShard(scenario, shard, { ...runOptions, command: options.command });
      const file = await writePartial(outDir, partial);
      progress.stop();
      context.out(`shard ${partial.shard.index}/${partial.shard.count}: ${file} (combine the shards with \`locksim merge\`)`);
      return file;
    }
  } catch (error) {
    if (error instanceof SweepInterruptedError) {
      progress.stop();
      context.err(`locksim: ${error.message}`);
      context.fail(EXIT.interrupted);
      return '';
    }
    throw error;
  } finally {
    interrupt.dispose();
    progress.stop();
    await executor.close();
  }
  const { index } = await writeAndAnnounceReport(run, outDir, { ...options, onsets }, context);
  return index;
}

/**
 * Writes a run's report and tells the user where it is: the summary table
 * (or JSON with --json, or only the path with --quiet). Shared by `run` and
 * `merge`, whose reports are the same bytes.
 */
export async function writeAndAnnounceReport(
  run: ScenarioRun,
  outDir: string,
  options: { readonly command: string; readonly json?: boolean; readonly quiet?: boolean; readonly lead?: string; readonly onsets?: readonly FailureOnset[] },
  context: CommandContext,
): Promise<{ files: string[]; index: string }> {
  const files = await writeRunReport(run, outDir, { command: options.command, version: locksimVersion(), onsets: options.onsets });
  const index = files.find((f) => f.endsWith('index.html')) ?? join(outDir, 'index.html');
  if (options.json === true) {
    context.out(JSON.stringify(summaryDocument(run.summary, run.scenario.kind), null, 2));
    if (options.quiet !== true) context.err(`report: ${index}`);
  } else if (options.quiet === true) {
    context.out(index);
  } else {
    context.out(summaryTable(run.summary, run.scenario.kind));
    context.out(`\n${options.lead ?? ''}${files.length} files in ${outDir}/; open ${index}`);
  }
  return { files, index };
}

/** Options `run` and `compare` share. */
export function scenarioRunOptions<T>(y: Argv<T>) {
  return y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
    .option('seed', { type: 'string', describe: 'base seed: seeds S, S+1, ... (whole number) or S-1, S-2, ... (text)' })
    .option('seeds', { type: 'number', describe: 'replications per point (default: the file\'s seeds)' })
    .option('set', { type: 'string', array: true, describe: 'override a scenario field: path=value (YAML flow), repeatable' })
    .option('params', { type: 'string', describe: 'a parameter file (as `locksim calibrate` writes): its model and machine parameter values apply first, --set after them' })
    .option('out', { type: 'string', describe: 'report directory (default reports/<scenario name>/)' })
    .option('jobs', { type: 'number', describe: 'threads running the sweep (default and at most: one per core; 1 runs in this process)' })
    .option('shard', { type: 'string', describe: 'I/N: run every N-th point starting at I (0-based) and write a partial result for `locksim merge`' })
    .option('shard-from-env', { type: 'boolean', default: false, describe: 'take the shard from JOB_COMPLETION_INDEX + LOCKSIM_SHARD_COUNT (Kubernetes) or SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT; fail if absent' })
    .option('checkpoint', { type: 'string', describe: 'journal every finished run to DIR/checkpoint.jsonl (default with --resume: OUT/checkpoint)' })
    .option('resume', { type: 'boolean', default: false, describe: 'continue an interrupted sweep from its checkpoint; the result is the same bytes as an uninterrupted run' })
    .option('onset', { type: 'boolean', default: true, describe: 'bisect each series\' failure onset between the last sweep point under 5% failures and the first over, same seeds (--no-onset skips the extra runs)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar and no table; print only the report path' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary (per point, every metric\'s mean, ci95, per-seed values) as JSON on stdout' });
}

/** Re-creates the command line from the parsed options, in a canonical order. */
export function canonicalArgs(command: string, positional: string, argv: { seed?: string; seeds?: number; set?: readonly string[]; out?: string; onset?: boolean; params?: string }, extra: readonly string[] = []): string[] {
  const args = [command, positional, ...extra];
  if (argv.onset === false) args.push('--no-onset');
  if (argv.params !== undefined) args.push('--params', argv.params);
  if (argv.seed !== undefined) args.push('--seed', argv.seed);
  if (argv.seeds !== undefined) args.push('--seeds', String(argv.seeds));
  for (const set of argv.set ?? []) args.push('--set', set);
  if (argv.out !== undefined) args.push('--out', argv.out);
  return args;
}

export const EXIT_CODES_EPILOGUE = 'Exit codes: 0 done, 2 bad input (scenario, --set, flags, output directory), 3 a run hit a simulation limit, 70 internal error, 74 a write the machine refused (full disk; the previous report is intact), 130 interrupted (finished runs kept in the checkpoint).';

export function registerRun(cli: Argv, context: CommandContext): Argv {
  return cli.command(
    'run <scenario>',
    'Run a scenario, print a summary table and write its report (charts, CSV, folded stacks, index.html)',
    (y) =>
      scenarioRunOptions(y)
        .example('$0 run scenarios/netflix-case.yaml', 'the Netflix case on three families; report in reports/netflix-case/')
        .example('$0 run scenarios/netflix-case.yaml --set containers=200 --set "sweep.containers=[50,100]" --seeds 5', 'override fields without editing the file')
        .example('$0 run scenarios/fig10-pause-bench.yaml --seed 42 --json > summary.json', 'seeds 42, 43, 44; summary as JSON')
        .example('$0 run scenarios/netflix-case.yaml --params reports/calibrate/parameters.yaml', 'with the values `locksim calibrate` fitted to your measurements')
        .epilogue(EXIT_CODES_EPILOGUE),
    async (argv) => {
      await executeRun(
        {
          scenario: argv.scenario,
          set: argv.set,
          params: argv.params,
          seed: argv.seed,
          seeds: argv.seeds,
          out: argv.out,
          quiet: argv.quiet,
          json: argv.json,
          jobs: argv.jobs,
          shard: argv.shard,
          shardFromEnv: argv.shardFromEnv,
          checkpoint: argv.checkpoint,
          resume: argv.resume,
          onset: argv.onset,
          // Without --shard or --out: the merged report must read like a single run's.
          command: commandLine(canonicalArgs('run', argv.scenario, { ...argv, out: undefined })),
        },
        context,
      );
    },
  );
}
