/**
 * pause_bench: Netflix's global-lock microbenchmark (N threads, each pinned
 * to a CPU, looping: think, take one global lock spinning with PAUSE, hold it,
 * release). Target R8 reads its per-acquisition latency against thread count.
 *
 * It is one configuration of the lock benchmark (lock-bench.ts): a closed
 * loop with fixed think and hold times, a TTAS lock by default (a user-space
 * spin on one global word; ticket and qspinlock are there to compare), no
 * extra lines, a run of fixed duration whose first tenth is warm-up.
 * Per-acquisition latency is the time from the request to the release (wait
 * plus hold); the only randomness is who wins each TTAS race.
 */
import type { CountsByDistance } from '../coherence/cache-line.js';
import type { RunLimits } from '../engine/index.js';
import type { Topology } from '../topology/index.js';
import { runLockBench } from './lock-bench.js';

export type PausePlacement = 'compact' | 'spread' | 'one-socket';
export type PauseBenchLock = 'ttas' | 'ticket' | 'qspinlock';

export interface PauseBenchOptions {
  topology: Topology;
  threads: number;
  placement?: PausePlacement;
  lock?: PauseBenchLock;
  /** Critical section per acquisition, before SMT stretch, ns. */
  holdNs?: number;
  /** Work between a release and the next request, ns. */
  thinkNs?: number;
  durationNs: number;
  seed?: string | number;
  warmupFraction?: number;
  limits?: Partial<RunLimits>;
  /** Heap in use, for the engine's memory cap (supplied by the caller). */
  heapProbe?: () => number;
}

export interface PauseBenchResult {
  threads: number;
  cpus: readonly number[];
  acquisitions: number;
  meanLatencyNs: number;
  p50LatencyNs: number;
  p99LatencyNs: number;
  throughputPerSec: number;
  handoffsByClass: CountsByDistance;
}

export function runPauseBench(options: PauseBenchOptions): PauseBenchResult {
  const result = runLockBench({
    topology: options.topology,
    threads: options.threads,
    placement: options.placement ?? 'compact',
    lock: options.lock ?? 'ttas',
    think: { kind: 'deterministic', value: options.thinkNs ?? 100 },
    hold: { kind: 'deterministic', value: options.holdNs ?? 100 },
    stop: { durationNs: options.durationNs },
    warmupFraction: options.warmupFraction,
    seed: options.seed,
    limits: options.limits,
    heapProbe: options.heapProbe,
  });
  return {
    threads: result.threads,
    cpus: result.cpus,
    acquisitions: result.acquisitions,
    meanLatencyNs: result.meanLatencyNs,
    p50LatencyNs: result.p50LatencyNs,
    p99LatencyNs: result.p99LatencyNs,
    throughputPerSec: result.throughputPerSec,
    handoffsByClass: result.handoffsByClass,
  };
}
