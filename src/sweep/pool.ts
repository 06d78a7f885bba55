/**
 * A sweep on every core: each (point, seed) run is one task for a piscina
 * thread pool, and results are put back in (point index, seed order) whatever
 * order they finish in. Seeds come from the scenario and the point, never
 * from the thread (pipeline.runSeed), so the result is the same, byte for
 * byte, as pipeline.runScenarioPoints in one thread.
 *
 *   selected points x seeds  ->  minus runs already in the checkpoint
 *                            ->  costliest first (runCost)
 *                            ->  jobs = 1: run here, one after another
 *                                jobs > 1: piscina threads (worker.ts)
 *                            ->  each finished run: journal (checkpoint.ts), progress
 *                            ->  PointRuns[] in point order, runs in seed order
 *
 * Interrupting (an AbortSignal, e.g. from SIGINT) stops dispatching at once
 * and abandons the runs in flight: every run already journalled stays, and a
 * resume redoes only the rest.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { newRunCache, runPoint, type RunOptions } from '../pipeline.js';
import type { PointRuns, RunOutput } from '../analysis/summarize.js';
import type { ResolvedScenario, RunPoint } from '../scenario/types.js';
import type { LayerSpec } from '../workload/container-launch.js';
import { InputError } from '../input/errors.js';
import { SimulationLimitError } from '../engine/index.js';
import { threadHeapMb } from '../limits/heap.js';
import { Checkpoint, runKey, type CheckpointOptions } from './checkpoint.js';
import { rebuildError } from './task-errors.js';
import { loadedThreadId } from './thread-loaded.js';
import type { SweepTask, SweepTaskResult, WorkerSetup } from './worker.js';

export interface SweepOptions {
  /** Threads; default os.availableParallelism(). 1 runs in this thread, without a pool. */
  readonly jobs?: number;
  readonly modelsDir?: string;
  readonly limits?: RunOptions['limits'];
  /** Only points whose index satisfies this run (sharding: shard.ts shardSelector). */
  readonly selectPoint?: (index: number) => boolean;
  /** After each run finished in this call: runs done (journalled ones included) and runs in total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Journal finished runs in `<dir>/checkpoint.jsonl`; with `resume`, skip the runs found there. */
  readonly checkpoint?: CheckpointOptions;
  /** Aborting stops dispatching; the call rejects with SweepInterruptedError. */
  readonly signal?: AbortSignal;
}

/** The sweep stopped on request; the finished runs are in the checkpoint, if one was kept. */
export class SweepInterruptedError extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
    readonly checkpointFile: string | undefined,
  ) {
    super(`sweep interrupted after ${done} of ${total} runs${checkpointFile === undefined ? '' : `; finished runs are kept in ${checkpointFile}`}`);
    this.name = 'SweepInterruptedError';
  }
}

interface PendingRun {
  /** Position in the selected points. */
  readonly slot: number;
  readonly seedIndex: number;
}

export interface FinishedRun {
  readonly machine: string;
  readonly output: RunOutput;
}

/** `--jobs`: a whole number of threads, 1 or more (undefined: every core). */
export function checkJobCount(jobs: number | undefined): void {
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    throw new InputError('invalid job count', { file: '--jobs', expected: 'a whole number of worker threads, 1 or more', found: String(jobs) });
  }
}

/** A point's runs, in seed order, as runScenarioPoints gives them: the machine name is that of its last run (all runs of a point share it). */
export function pointRuns(point: RunPoint, runs: readonly FinishedRun[]): PointRuns {
  return { point, machine: runs.length === 0 ? '' : runs[runs.length - 1].machine, runs: runs.map((r) => r.output) };
}

export async function runPointsParallel(scenario: ResolvedScenario, options: SweepOptions = {}): Promise<PointRuns[]> {
  checkJobCount(options.jobs);
  const selected = scenario.points.filter((p) => options.selectPoint?.(p.index) ?? true);
  const seeds = scenario.seeds;
  const total = selected.length * seeds.length;
  const finished: (FinishedRun | undefined)[] = new Array<FinishedRun | undefined>(total);
  const checkpoint = options.checkpoint === undefined ? undefined : Checkpoint.open(scenario, options.checkpoint);
  try {
    const pending: PendingRun[] = [];
    selected.forEach((point, slot) => {
      seeds.forEach((_seed, seedIndex) => {
        const journalled = checkpoint?.finished.get(runKey(point.index, seedIndex));
        if (journalled === undefined) pending.push({ slot, seedIndex });
        else finished[slot * seeds.length + seedIndex] = { machine: journalled.machine, output: journalled.output };
      });
    });
    let done = total - pending.length;
    const record = (task: number, result: FinishedRun): void => {
      const run = pending[task];
      const point = selected[run.slot];
      checkpoint?.append({ point: point.index, seedIndex: run.seedIndex, seed: seeds[run.seedIndex], machine: result.machine, output: result.output });
      finished[run.slot * seeds.length + run.seedIndex] = result;
      options.onProgress?.(++done, total);
    };
    const interrupted = (): SweepInterruptedError => new SweepInterruptedError(done, total, checkpoint?.file);
    const jobs = Math.min(options.jobs ?? availableParallelism(), pending.length);
    // Costliest first (stable): the runs left at the end, when threads fall idle, are short ones.
    pending.sort((a, b) => runCost(selected[b.slot]) - runCost(selected[a.slot]));
    const tasks = pending.map((run) => ({ slot: run.slot, seed: seeds[run.seedIndex] }));
    await runTasks(selected, tasks, jobs, options, record, interrupted);
    return selected.map((point, slot) => pointRuns(point, seeds.map((_seed, seedIndex) => finished[slot * seeds.length + seedIndex]!)));
  } finally {
    checkpoint?.close();
  }
}

/** One run to do: a point (by its position in the list the pool was given) and a seed. */
export interface RunTask {
  readonly slot: number;
  readonly seed: string;
}

/** Called with the position of a finished task in the task list, and its result. */
type RecordRun = (task: number, result: FinishedRun) => void;

/** Rough relative cost of one run of `point`, only to start the longest runs first. */
export function runCost(point: RunPoint): number {
  const spec = point.spec;
  if (spec.kind === 'pause-bench') return (spec.threads * spec.durationNs) / 1e5;
  // Propagation makes a storm's work grow with containers^2; layers add mount operations linearly.
  return spec.containers * spec.containers * meanLayers(spec.layers);
}

function meanLayers(layers: LayerSpec): number {
  switch (layers.kind) {
    case 'fixed':
      return layers.value;
    case 'normal':
      return layers.mean;
    case 'uniform':
      return (layers.min + layers.max) / 2;
  }
}

/**
 * Runs `tasks` over `points`, in list order, here (jobs 1) or in a pool of
 * `jobs` threads; `record` gets each result as it finishes.
 */
export async function runTasks(points: readonly RunPoint[], tasks: readonly RunTask[], jobs: number, options: Pick<SweepOptions, 'modelsDir' | 'limits' | 'signal'>, record: RecordRun, interrupted: () => Error): Promise<void> {
  const threads = poolThreads(jobs, tasks.length);
  if (threads <= 1) await runHere(points, tasks, options, record, interrupted);
  else await runInPool(points, tasks, threads, options, record, interrupted);
}

/**
 * Threads a sweep of `runs` runs gets for `--jobs requested`: never more than
 * the runs, nor than this machine's cores (os.availableParallelism). The runs
 * are CPU-bound, so a thread past the cores adds no speed, only its memory
 * (~90 MB each) and contention: `--jobs 1000` would run slower than `--jobs 2`
 * on two cores. The clamp is silent (documented in --help and the README);
 * results are the same bytes for any thread count.
 */
export function poolThreads(requested: number, runs: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(requested, runs, cores));
}

/** One run after another in this thread, yielding between runs so signals and progress bars get a turn. */
async function runHere(points: readonly RunPoint[], tasks: readonly RunTask[], options: Pick<SweepOptions, 'modelsDir' | 'limits' | 'signal'>, record: RecordRun, interrupted: () => Error): Promise<void> {
  const cache = newRunCache();
  for (const [index, task] of tasks.entries()) {
    if (options.signal?.aborted === true) throw interrupted();
    record(index, runPoint(points[task.slot], task.seed, { modelsDir: options.modelsDir, limits: options.limits }, cache));
    await nextTurn();
  }
}

async function runInPool(points: readonly RunPoint[], tasks: readonly RunTask[], jobs: number, options: Pick<SweepOptions, 'modelsDir' | 'limits' | 'signal'>, record: RecordRun, interrupted: () => Error): Promise<void> {
  const setup: WorkerSetup = { points, modelsDir: options.modelsDir, limits: options.limits };
  const pool = new Piscina<SweepTask, SweepTaskResult>({
    ...workerEntry(),
    workerData: setup,
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Each thread's V8 heap is sized from the runs' memory cap, so the cap stops a run before V8 would (limits/heap.ts).
    resourceLimits: { maxOldGenerationSizeMb: threadHeapMb(largestHeapCap(points, options.limits)) },
  });
  const loaded = watchThreadsLoading(pool);
  // piscina reports a thread that fails between tasks, and a result that was already on its way when
  // destroy() terminated the thread ("Unexpected message from Worker"), as an 'error' event; unheard,
  // that is an uncaught exception. While the sweep runs it fails the sweep; after it stopped it is moot.
  let onPoolError: (error: unknown) => void = () => undefined;
  pool.on('error', (error: unknown) => onPoolError(error));
  // Two tasks per thread in flight: a thread never idles while its last result is being received.
  const window = jobs * 2;
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let inFlight = 0;
      let stopped = false;
      const stop = (error: unknown): void => {
        if (stopped) return;
        stopped = true;
        onPoolError = () => undefined;
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      onPoolError = stop;
      const onAbort = (): void => stop(interrupted());
      if (options.signal?.aborted === true) return stop(interrupted());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const dispatch = (): void => {
        while (!stopped && inFlight < window && next < tasks.length) {
          const index = next++;
          inFlight++;
          pool.run(tasks[index]).then(
            (result) => {
              inFlight--;
              if (stopped) return;
              if (!result.ok) return stop(rebuildError(result.error));
              try {
                record(index, { machine: result.machine, output: result.output });
              } catch (error) {
                return stop(error);
              }
              if (next >= tasks.length && inFlight === 0) {
                stopped = true;
                onPoolError = () => undefined;
                options.signal?.removeEventListener('abort', onAbort);
                resolve();
              } else dispatch();
            },
            (error: unknown) => {
              inFlight--;
              stop(threadOutOfMemory(error) ? outOfMemory(largestHeapCap(points, options.limits)) : error);
            },
          );
        }
      };
      dispatch();
    });
  } finally {
    // Abandons queued and running tasks: an interrupted sweep waits for no run, only for threads still loading.
    await loaded.settled();
    await pool.destroy();
  }
}

/**
 * Which pool threads have finished loading the worker module. Terminating a
 * thread in the middle of loading it can abort the whole process on Node 20
 * (a native assertion in require() of an ES module), so the pool is destroyed
 * only once every thread has loaded or exited. Each thread says it has loaded
 * (worker.ts, THREAD_LOADED) on its first turn after the module returned.
 */
function watchThreadsLoading(pool: Piscina): { settled(): Promise<void> } {
  const loaded = new Set<number>();
  const waiting = new Map<number, () => void>();
  pool.on('message', (message: unknown) => {
    const id = loadedThreadId(message);
    if (id === undefined) return;
    loaded.add(id);
    waiting.get(id)?.();
  });
  const settledThread = (thread: Worker): Promise<void> | undefined => {
    const id = thread.threadId;
    if (id < 0 || loaded.has(id)) return undefined;
    return new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      thread.once('exit', () => resolve());
    });
  };
  return {
    async settled() {
      const pending = pool.threads.map(settledThread).filter((p) => p !== undefined);
      if (pending.length === 0) return;
      // A safety net only: a thread loads in well under a second.
      const giveUp = delay(THREAD_LOAD_WAIT_MS, undefined, { ref: false });
      await Promise.race([Promise.all(pending), giveUp]);
    },
  };
}

/** The largest memory cap of any run of `points` (the caller's limits tighten the points' own, as in pipeline.runPoint). */
function largestHeapCap(points: readonly RunPoint[], limits: SweepOptions['limits']): number {
  return points.reduce((largest, point) => Math.max(largest, limits?.maxHeapBytes ?? point.spec.limits.maxHeapBytes), 0);
}

/** A pool thread that V8 stopped at its heap limit (resourceLimits). */
function threadOutOfMemory(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** The run limit a thread stopped by V8 reports (exit 3), should a run ever outgrow its thread between two heap checks. */
function outOfMemory(capBytes: number): SimulationLimitError {
  return new SimulationLimitError('maxHeapBytes', capBytes, `a run outgrew its thread's heap of ${threadHeapMb(capBytes)} MiB before its memory check stopped it`);
}

/** Longest wait for pool threads to finish loading before the pool is destroyed anyway. */
const THREAD_LOAD_WAIT_MS = 60_000;

/**
 * The worker file and how to load it. From dist/ (the CLI) the compiled
 * worker.js loads as is; from the TypeScript sources (vitest, tsx) the thread
 * gets tsx's loader first so it can import worker.ts.
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url));
  if (!fromSources) return { filename };
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsxLoader] };
}
