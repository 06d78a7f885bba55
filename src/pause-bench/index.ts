/**
 * pause_bench, Netflix's global-lock microbenchmark, as a model: N pinned
 * threads on one global spinlock. `runPauseBench` is the entry point.
 */
export { runPauseBench, placeThreads, type PauseBenchOptions, type PauseBenchResult, type PausePlacement, type PauseBenchLock } from './pause-bench.js';
