/**
 * The body of one pool thread: runs one (point, seed) task and hands back the
 * plain RunOutput. A task carries its point and the models it runs on, so
 * the thread reads no files; topologies it builds are kept for its later
 * tasks (keyed by model content hash). Failures come back as data
 * (task-errors.ts) so their class survives.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { newBuildCache } from '../workloads/kind.js';
import { runTask, type RunTask } from './run-task.js';
import type { RunOutput } from '../analysis/summary.js';
import { serializeError, type SerializedError } from './task-errors.js';
import { threadLoadedMessage } from './thread-loaded.js';

export type SweepTaskResult = { readonly ok: true; readonly machine: string; readonly output: RunOutput } | { readonly ok: false; readonly error: SerializedError };

const cache = newBuildCache();
// Once the import of this module has returned (a microtask runs when that job ends; a timer would not run at all,
// as piscina then blocks the thread in Atomics.wait between tasks): from then on the pool may terminate it safely.
queueMicrotask(() => parentPort?.postMessage(threadLoadedMessage(threadId)));

export default function runSweepTask(task: RunTask): SweepTaskResult {
  try {
    const { machine, output } = runTask(task, cache);
    return { ok: true, machine, output };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
