/**
 * Lock benchmarks as a model: N pinned threads on one lock of any kind,
 * open or closed (`runLockBench`), and pause_bench, Netflix's global-lock
 * microbenchmark, as one configuration of it (`runPauseBench`).
 */
export {
  runLockBench,
  BENCH_LOCK_KINDS,
  READ_WRITE_LOCKS,
  type BenchArrival,
  type BenchLockKind,
  type BenchStop,
  type LockBenchOptions,
  type LockBenchResult,
} from './lock-bench.js';
export { placeThreads, placementOrder, describePlacement, type BenchPlacement } from './placement.js';
export { runPauseBench, type PauseBenchOptions, type PauseBenchResult, type PausePlacement, type PauseBenchLock } from './pause-bench.js';
