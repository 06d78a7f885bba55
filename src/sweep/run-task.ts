/**
 * One (point, seed) run as a task: the point, the seed, the models the point
 * runs on (only those, by content hash), and the caller's limits. The same
 * function runs it in this thread and in a pool thread, so where a run
 * executes never changes its bytes.
 */
import type { RunLimits } from '../engine/index.js';
import type { RunOutput } from '../analysis/summary.js';
import type { ResolvedModels, RunPoint } from '../scenario/types.js';
import { workloadKind } from '../workloads/registry.js';
import type { BuildCache } from '../workloads/kind.js';
import { runHeapCap, usedHeapBytes } from '../limits/heap.js';

export interface RunTask {
  readonly point: RunPoint;
  readonly seed: string;
  /** The models `point` runs on. */
  readonly models: ResolvedModels;
  /** Rough relative cost, to start the longest runs first. */
  readonly cost: number;
  /** Tightens the point's own limits (tests, tools). */
  readonly limits?: Partial<RunLimits>;
}

export interface FinishedRun {
  readonly machine: string;
  readonly output: RunOutput;
}

/** Runs one task; the heap is measured here, not in the model. */
export function runTask(task: RunTask, cache: BuildCache): FinishedRun {
  const spec = task.point.spec;
  const limits = { ...spec.limits, ...task.limits };
  // The memory cap is lowered to what this thread's V8 heap can hold (limits/heap.ts), so it stops the run before V8 aborts.
  limits.maxHeapBytes = runHeapCap(limits.maxHeapBytes);
  return workloadKind(spec.kind).run({ spec, models: task.models, seed: task.seed, limits, heapProbe: usedHeapBytes, cache });
}
