/**
 * The memory cap of a run (`limits.maxMemory`) made to hold.
 *
 * The engine stops a run whose heap passes its cap (exit 3, naming the cap),
 * but only if it looks before V8 gives up: V8 aborts the whole process at its
 * own heap limit (exit 134, a native stack), and that limit is not the cap.
 * So:
 *
 * - a pool thread's V8 heap limit is set from the cap (`threadHeapMb`), with
 *   room above it, so the cap is always reached first;
 * - in a thread whose heap limit was not set from the cap (the CLI's own
 *   thread, with `--jobs 1`), the cap is lowered to a share of V8's limit
 *   (`runHeapCap`); `NODE_OPTIONS=--max-old-space-size=MiB` raises that limit;
 * - the engine looks often (every few thousand events), and no run may store
 *   more mount-table samples than its cap can hold (`maxMountTableSamples`),
 *   so a setting that cannot be met is refused before the run.
 *
 * The engine reads no process state; the pipeline hands it `usedHeapBytes`.
 */
import { getHeapStatistics } from 'node:v8';

/**
 * Share of a thread's V8 heap limit a run may hold. The rest is headroom: the
 * run's results are copied out when it ends, and the heap counts garbage the
 * collector has not yet reclaimed.
 */
export const HEAP_SHARE = 0.75;

/** Smallest heap a pool thread gets: enough to load the models and run a tiny scenario. */
const MIN_THREAD_HEAP_MB = 256;

const MiB = 2 ** 20;

/** This thread's V8 heap limit, in bytes. */
export function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

/** Bytes of heap this thread uses now (live data and garbage not yet collected). */
export function usedHeapBytes(): number {
  return getHeapStatistics().used_heap_size;
}

/** The cap the engine enforces in this thread: the scenario's, or HEAP_SHARE of V8's limit if that is lower. */
export function runHeapCap(maxHeapBytes: number, limitBytes: number = heapLimitBytes()): number {
  return Math.min(maxHeapBytes, Math.floor(HEAP_SHARE * limitBytes));
}

/** `resourceLimits.maxOldGenerationSizeMb` of a pool thread whose runs are capped at `maxHeapBytes`: the cap binds before V8's limit. */
export function threadHeapMb(maxHeapBytes: number): number {
  return Math.max(MIN_THREAD_HEAP_MB, Math.ceil(maxHeapBytes / HEAP_SHARE / MiB));
}

/**
 * What one stored mount-table sample costs a run at its peak, in bytes: the
 * sample, its copy in the result and the result's copy out of the thread
 * (measured: 128 retained by the result, about 260 at the peak; rounded up).
 */
export const SAMPLE_BYTES = 320;

/**
 * Most mount-table samples per run, whatever the cap: a million samples are
 * about 75 MB of results.json, and a report is one JSON text.
 */
export const MAX_MOUNT_TABLE_SAMPLES = 1_000_000;

/** Most mount-table samples one run capped at `maxHeapBytes` may store. */
export function maxMountTableSamples(maxHeapBytes: number): number {
  return Math.min(MAX_MOUNT_TABLE_SAMPLES, Math.floor(maxHeapBytes / SAMPLE_BYTES));
}
