/**
 * Which slice of a sweep this process runs: `--shard I/N`, or the index a
 * cluster scheduler hands each task.
 *
 * Shard I of N runs the points whose index % N == I (I from 0). Round-robin
 * rather than contiguous blocks because sweeps are ordered by a growing
 * variable (containers, threads): blocks would give the last shard all the
 * expensive points.
 *
 * Schedulers, read from the environment:
 * - Kubernetes Indexed Job (`completionMode: Indexed`) sets JOB_COMPLETION_INDEX
 *   in every pod. The pod cannot see the Job's `completions`, so the manifest
 *   passes the count as LOCKSIM_SHARD_COUNT (examples/kubernetes/indexed-job.yaml).
 * - Slurm job arrays set SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and
 *   SLURM_ARRAY_TASK_MIN (and SLURM_ARRAY_TASK_STEP for `--array=0-15:4`);
 *   the shard is the task's position in the array, so `--array=1-8` works too.
 */
import { InputError } from '../input/errors.js';

export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
}

/** The environment variables a scheduler sets (a subset of process.env). */
export type ShardEnvironment = Readonly<Record<string, string | undefined>>;

/** True when shard `shard` runs the point with this index. */
export function shardHasPoint(shard: Shard, pointIndex: number): boolean {
  return pointIndex % shard.count === shard.index;
}

/** The `selectPoint` predicate of a shard (for RunOptions / runPointsParallel). */
export function shardSelector(shard: Shard): (pointIndex: number) => boolean {
  return (pointIndex) => shardHasPoint(shard, pointIndex);
}

/** "I/N" → { index: I, count: N }, with 0 <= I < N. */
export function parseShard(text: string, source = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) {
    throw new InputError('invalid shard', { file: source, expected: 'I/N with whole numbers, I from 0, e.g. 0/4', found: JSON.stringify(text) });
  }
  return checkedShard(Number(match[1]), Number(match[2]), source);
}

/**
 * The shard a scheduler assigned through the environment, or undefined when
 * no scheduler variable is set. Kubernetes is looked at before Slurm.
 */
export function shardFromEnvironment(env: ShardEnvironment): Shard | undefined {
  const completionIndex = present(env.JOB_COMPLETION_INDEX);
  if (completionIndex !== undefined) {
    const countText = present(env.LOCKSIM_SHARD_COUNT);
    if (countText === undefined) {
      throw new InputError('JOB_COMPLETION_INDEX is set but LOCKSIM_SHARD_COUNT (the shard count) is not', {
        file: 'environment',
        path: 'LOCKSIM_SHARD_COUNT',
        expected: "the Job's completions as a whole number",
        found: 'nothing',
        hint: 'A pod cannot see its Job\'s completions: add `env: [{name: LOCKSIM_SHARD_COUNT, value: "N"}]` with N = spec.completions to the Job template (see examples/kubernetes/indexed-job.yaml).',
      });
    }
    return checkedShard(wholeNumber(completionIndex, 'JOB_COMPLETION_INDEX'), wholeNumber(countText, 'LOCKSIM_SHARD_COUNT'), 'environment');
  }
  const taskId = present(env.SLURM_ARRAY_TASK_ID);
  if (taskId !== undefined) {
    const countText = present(env.SLURM_ARRAY_TASK_COUNT);
    if (countText === undefined) {
      throw new InputError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not', {
        file: 'environment',
        path: 'SLURM_ARRAY_TASK_COUNT',
        expected: 'the number of tasks in the array',
        found: 'nothing',
        hint: 'Submit with `sbatch --array=0-(N-1)` (Slurm sets the count), or pass --shard I/N explicitly.',
      });
    }
    const id = wholeNumber(taskId, 'SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN === undefined || env.SLURM_ARRAY_TASK_MIN === '' ? 0 : wholeNumber(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN');
    const step = env.SLURM_ARRAY_TASK_STEP === undefined || env.SLURM_ARRAY_TASK_STEP === '' ? 1 : wholeNumber(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP');
    if (step === 0 || id < min || (id - min) % step !== 0) {
      throw new InputError('the Slurm array task is not on a regular range', {
        file: 'environment',
        path: 'SLURM_ARRAY_TASK_ID',
        expected: `MIN + k*STEP with MIN ${min} and STEP ${step}`,
        found: String(id),
        hint: 'Use a plain range such as `--array=0-7` (lists like 1,3,9 cannot be mapped to shards), or pass --shard I/N.',
      });
    }
    return checkedShard((id - min) / step, wholeNumber(countText, 'SLURM_ARRAY_TASK_COUNT'), 'environment');
  }
  return undefined;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function wholeNumber(text: string, name: string): number {
  if (!/^\s*\d+\s*$/.test(text)) {
    throw new InputError(`${name} is not a whole number`, { file: 'environment', path: name, expected: 'a whole number', found: JSON.stringify(text) });
  }
  return Number(text);
}

function checkedShard(index: number, count: number, source: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InputError('invalid shard count', { file: source, expected: 'a shard count of 1 or more', found: String(count) });
  }
  if (!Number.isSafeInteger(index) || index >= count) {
    throw new InputError(`shard index ${index} is out of range for ${count} shards`, { file: source, expected: `an index from 0 to ${count - 1}`, found: String(index), hint: 'Shard indices start at 0: the shards of N are 0/N ... (N-1)/N.' });
  }
  return { index, count };
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
