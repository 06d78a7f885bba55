/**
 * Where (point, seed) runs execute: here, one after another, or on a pool of
 * worker threads. The orchestrator (src/pipeline.ts) hands an executor its
 * tasks and gets each result back as it finishes; which executor runs them
 * never changes a result, because a run's seed comes from the scenario and
 * its models travel with the task (workers read no files).
 *
 * The pool keeps one queue for every caller: tasks submitted in the same
 * turn of the event loop (all the scenarios of a check, every family of a
 * plan) are dealt costliest first across all of them, so threads do not
 * idle at the end of one scenario while another waits.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setImmediate as nextTurn, setTimeout as delay } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { InputError } from '../input/errors.js';
import { DEFAULT_LIMITS, SimulationLimitError } from '../engine/index.js';
import { threadHeapMb } from '../limits/heap.js';
import { newBuildCache } from '../workloads/kind.js';
import { runTask, type FinishedRun, type RunTask } from './run-task.js';
import { rebuildError } from './task-errors.js';
import { loadedThreadId } from './thread-loaded.js';
import type { SweepTaskResult } from './worker.js';

export type { FinishedRun, RunTask } from './run-task.js';

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

/** `--jobs`: a whole number of threads, 1 or more (undefined: every core). */
export function checkJobCount(jobs: number | undefined): void {
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) {
    throw new InputError('invalid job count', { file: '--jobs', expected: 'a whole number of worker threads, 1 or more', found: String(jobs) });
  }
}

export interface Executor {
  /**
   * Runs `tasks`; `record(i, result)` as task i finishes. Rejects on the
   * first failure, or with `interrupted()` when `signal` aborts (runs in
   * flight are abandoned; recorded ones stay recorded).
   */
  run(tasks: readonly RunTask[], record: (index: number, result: FinishedRun) => void, options?: { signal?: AbortSignal; interrupted?: () => Error }): Promise<void>;
  /** Stops the threads, if any. */
  close(): Promise<void>;
}

const defaultInterrupted = (): Error => new SweepInterruptedError(0, 0, undefined);

/** Costliest first, ties in the order given: the last runs to finish are short ones. */
function costOrder(tasks: readonly RunTask[]): number[] {
  return tasks.map((_task, index) => index).sort((a, b) => tasks[b].cost - tasks[a].cost || a - b);
}

/** Runs in this thread, one after another, yielding between runs so signals and progress bars get a turn. */
export function inlineExecutor(): Executor {
  const cache = newBuildCache();
  return {
    async run(tasks, record, options = {}) {
      for (const index of costOrder(tasks)) {
        if (options.signal?.aborted === true) throw (options.interrupted ?? defaultInterrupted)();
        record(index, runTask(tasks[index], cache));
        await nextTurn();
      }
    },
    async close() {},
  };
}

interface Queued {
  readonly task: RunTask;
  readonly sequence: number;
  readonly batch: Batch;
  readonly index: number;
}

interface Batch {
  left: number;
  stopped: boolean;
  readonly record: (index: number, result: FinishedRun) => void;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A piscina pool of `jobs` threads shared by every run() call until close().
 * Each thread's V8 heap is sized from the runs' memory cap (limits/heap.ts),
 * so the cap stops a run before V8 would.
 */
export class PoolExecutor implements Executor {
  private readonly pool: Piscina;
  private readonly queue: Queued[] = [];
  private readonly batches = new Set<Batch>();
  private inFlight = 0;
  private sequence = 0;
  private dispatchScheduled = false;
  private readonly window: number;
  private readonly loaded: { settled(): Promise<void> };

  constructor(
    readonly jobs: number,
    /** The largest memory cap of any run this pool will run. */
    private readonly heapCapBytes: number = DEFAULT_LIMITS.maxHeapBytes,
  ) {
    this.pool = new Piscina({
      ...workerEntry(),
      minThreads: jobs,
      maxThreads: jobs,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxOldGenerationSizeMb: threadHeapMb(heapCapBytes) },
    });
    this.loaded = watchThreadsLoading(this.pool);
    // piscina reports a thread that fails between tasks, and a result that was already on its way when
    // destroy() terminated the thread ("Unexpected message from Worker"), as an 'error' event; unheard,
    // that is an uncaught exception. While runs are pending it fails them; once nothing runs it is moot.
    this.pool.on('error', (error: unknown) => {
      for (const batch of [...this.batches]) batch.reject(error);
    });
    // Two tasks per thread in flight: a thread never idles while its last result is being received.
    this.window = jobs * 2;
  }

  run(tasks: readonly RunTask[], record: (index: number, result: FinishedRun) => void, options: { signal?: AbortSignal; interrupted?: () => Error } = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const interrupted = options.interrupted ?? defaultInterrupted;
      if (options.signal?.aborted === true) return reject(interrupted());
      const onAbort = (): void => batch.reject(interrupted());
      const batch: Batch = {
        left: tasks.length,
        stopped: false,
        record,
        resolve: () => {
          batch.stopped = true;
          this.batches.delete(batch);
          options.signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          if (batch.stopped) return;
          batch.stopped = true;
          this.batches.delete(batch);
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.batches.add(batch);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (tasks.length === 0) return batch.resolve();
      tasks.forEach((task, index) => this.queue.push({ task, sequence: this.sequence++, batch, index }));
      this.scheduleDispatch();
    });
  }

  async close(): Promise<void> {
    for (const queued of this.queue) queued.batch.stopped = true;
    this.queue.length = 0;
    this.batches.clear();
    // Abandons queued and running tasks: an interrupted sweep waits for no run, only for threads still loading.
    await this.loaded.settled();
    await this.pool.destroy();
  }

  /** Dispatch on the next turn, so every caller submitting in this turn is sorted together. */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.queue.sort((a, b) => b.task.cost - a.task.cost || a.sequence - b.sequence);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.window && this.queue.length > 0) {
      const queued = this.queue.shift()!;
      if (queued.batch.stopped) continue;
      this.inFlight++;
      this.pool.run(queued.task).then(
        (result: SweepTaskResult) => this.finished(queued, result),
        (error: unknown) => {
          this.inFlight--;
          queued.batch.reject(threadOutOfMemory(error) ? outOfMemory(this.heapCapBytes) : error);
          this.dispatch();
        },
      );
    }
  }

  private finished(queued: Queued, result: SweepTaskResult): void {
    this.inFlight--;
    const batch = queued.batch;
    if (!batch.stopped) {
      if (!result.ok) batch.reject(rebuildError(result.error));
      else {
        try {
          batch.record(queued.index, { machine: result.machine, output: result.output });
          if (--batch.left === 0) batch.resolve();
        } catch (error) {
          batch.reject(error);
        }
      }
    }
    this.dispatch();
  }
}

/**
 * Which pool threads have finished loading the worker module. Terminating a
 * thread in the middle of loading it can abort the whole process on Node 20
 * (a native assertion in require() of an ES module), so the pool is destroyed
 * only once every thread has loaded or exited. Each thread says it has loaded
 * (worker.ts, thread-loaded.ts) on its first turn after the module returned.
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

/** Longest wait for pool threads to finish loading before the pool is destroyed anyway. */
const THREAD_LOAD_WAIT_MS = 60_000;

/** A pool thread that V8 stopped at its heap limit (resourceLimits). */
function threadOutOfMemory(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** The run limit a thread stopped by V8 reports (exit 3), should a run ever outgrow its thread between two heap checks. */
function outOfMemory(capBytes: number): SimulationLimitError {
  return new SimulationLimitError('maxHeapBytes', capBytes, `a run outgrew its thread's heap of ${threadHeapMb(capBytes)} MiB before its memory check stopped it`);
}

/**
 * Threads for `--jobs requested` and `runs` runs: never more than the runs,
 * nor than this machine's cores (os.availableParallelism). The runs are
 * CPU-bound, so a thread past the cores adds no speed, only its memory
 * (~90 MB each) and contention: `--jobs 1000` would run slower than `--jobs 2`
 * on two cores. The clamp is silent (documented in --help and the README);
 * results are the same bytes for any thread count.
 */
export function poolThreads(requested: number, runs: number, cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(requested, runs, cores));
}

/**
 * An executor for `jobs` threads (default: every core), never more threads
 * than `runs` or than the cores: this thread when that is 1, a pool
 * otherwise, its threads' heaps sized for runs capped at `heapCapBytes`.
 */
export function createExecutor(jobs?: number, runs = Number.POSITIVE_INFINITY, heapCapBytes?: number): Executor {
  checkJobCount(jobs);
  const threads = poolThreads(jobs ?? availableParallelism(), runs);
  return threads <= 1 ? inlineExecutor() : new PoolExecutor(threads, heapCapBytes);
}

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
