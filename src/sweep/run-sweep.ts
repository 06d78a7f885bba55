/**
 * One sweep from the command line's point of view: all points on this
 * machine's cores, or one shard of them for a cluster, with a journal to
 * resume from and Ctrl-C that stops cleanly.
 *
 *   no shard:  runPointsParallel -> summarize -> ScenarioRun (the caller writes the report)
 *   shard I/N: runPointsParallel(points with index % N == I) -> partial-I-of-N.json
 *              (`locksim merge` turns all N partials into the same report)
 */
import { summarizeScenario } from '../analysis/summarize.js';
import { InputError } from '../input/errors.js';
import type { ScenarioRun } from '../pipeline.js';
import type { ResolvedScenario } from '../scenario/types.js';
import { makePartial, writePartial, type PartialResult } from './partial.js';
import { runPointsParallel, type SweepOptions } from './pool.js';
import { parseShard, shardFromEnvironment, shardSelector, type Shard, type ShardEnvironment } from './shard.js';

export interface SweepRunOptions extends Omit<SweepOptions, 'selectPoint'> {
  /** Run only this shard and write its partial result into `outDir`. */
  readonly shard?: Shard;
  /** The sweep's command line without shard flags, kept in the partial for the merged report. */
  readonly command?: string;
}

export type SweepOutcome = { readonly kind: 'complete'; readonly run: ScenarioRun } | { readonly kind: 'partial'; readonly file: string; readonly partial: PartialResult };

/** Runs the sweep (or one shard of it); a shard's partial is written into `outDir`, which must exist. */
export async function runSweep(scenario: ResolvedScenario, outDir: string, options: SweepRunOptions = {}): Promise<SweepOutcome> {
  const { shard, command, ...sweep } = options;
  if (shard === undefined) {
    const points = await runPointsParallel(scenario, sweep);
    return { kind: 'complete', run: { scenario, points, summary: summarizeScenario(scenario.name, scenario.seeds, points) } };
  }
  const points = await runPointsParallel(scenario, { ...sweep, selectPoint: shardSelector(shard) });
  const partial = makePartial(scenario, shard, points, command);
  return { kind: 'partial', file: await writePartial(outDir, partial), partial };
}

/**
 * The shard to run: `--shard I/N` when given; otherwise the one a scheduler
 * set in the environment (Kubernetes Indexed Job, Slurm array), if any.
 * `requireEnvironment` (`--shard-from-env`) makes a missing one an error.
 */
export function resolveShard(flags: { readonly shard?: string; readonly requireEnvironment?: boolean }, env: ShardEnvironment): Shard | undefined {
  if (flags.shard !== undefined) return parseShard(flags.shard);
  const fromEnvironment = shardFromEnvironment(env);
  if (fromEnvironment === undefined && flags.requireEnvironment === true) {
    throw new InputError('--shard-from-env found no shard in the environment', {
      file: '--shard-from-env',
      expected: 'JOB_COMPLETION_INDEX with LOCKSIM_SHARD_COUNT (Kubernetes Indexed Job), or SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (Slurm array)',
      found: 'none of them',
      hint: 'Run inside an Indexed Job or a job array, or pass --shard I/N.',
    });
  }
  return fromEnvironment;
}

/**
 * An AbortSignal that fires on the first SIGINT/SIGTERM (Ctrl-C, `kubectl
 * delete`, Slurm pre-emption): the sweep stops dispatching and leaves its
 * journal whole. The handlers remove themselves on the first signal, so a
 * second one gets Node's default (the process ends at once), the usual
 * Ctrl-C contract. Call `dispose` when the sweep is over.
 */
export function interruptOnSignals(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (): void => {
    dispose();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
