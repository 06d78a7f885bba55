/**
 * The body of one pool thread: runs one (point, seed) and hands back the
 * plain RunOutput. The sweep's points arrive once, as workerData, so a task
 * is two small values and only the result crosses the thread boundary.
 * Failures come back as data (task-errors.ts) so their class survives.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { newRunCache, runPoint, type RunOptions } from '../pipeline.js';
import type { RunOutput } from '../analysis/summarize.js';
import type { RunPoint } from '../scenario/types.js';
import { serializeError, type SerializedError } from './task-errors.js';
import { threadLoadedMessage } from './thread-loaded.js';

export interface WorkerSetup {
  readonly points: readonly RunPoint[];
  readonly modelsDir?: string;
  readonly limits?: RunOptions['limits'];
}

export interface SweepTask {
  /** Position in WorkerSetup.points. */
  readonly slot: number;
  readonly seed: string;
}

export type SweepTaskResult = { readonly ok: true; readonly machine: string; readonly output: RunOutput } | { readonly ok: false; readonly error: SerializedError };

const setup = workerData as WorkerSetup;
// Per thread: a thread runs many points of the same machines and kernel/node/runtime.
const cache = newRunCache();
// Once the import of this module has returned (a microtask runs when that job ends; a timer would not run at all,
// as piscina then blocks the thread in Atomics.wait between tasks): from then on the pool may terminate it safely.
queueMicrotask(() => parentPort?.postMessage(threadLoadedMessage(threadId)));

export default function runSweepTask(task: SweepTask): SweepTaskResult {
  try {
    const { machine, output } = runPoint(setup.points[task.slot], task.seed, { modelsDir: setup.modelsDir, limits: setup.limits }, cache);
    return { ok: true, machine, output };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
