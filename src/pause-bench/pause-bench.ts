/**
 * pause_bench: Netflix's global-lock microbenchmark (N threads, each pinned
 * to a CPU, looping: think, take one global lock spinning with PAUSE, hold it,
 * release). Target R8 reads its per-acquisition latency against thread count.
 *
 * Per-acquisition latency is the time from the request to the release (wait
 * plus hold). The lock word is a TTAS spinlock by default, as a user-space
 * spin on one global word is; ticket and qspinlock are there to compare.
 * Every benchmark CPU is busy the whole run (thinking, spinning or holding),
 * so a holder whose SMT sibling also runs a benchmark thread is stretched by
 * the topology's smtSlowdown. Think and hold times are fixed, as in a tight
 * benchmark loop; the only randomness is who wins each TTAS race.
 * The first `warmupFraction` of the run is discarded.
 */
import { CpuState } from '../coherence/cpu-state.js';
import { Simulation, type ProcessBody, type RunLimits } from '../engine/index.js';
import { emptyCountsByDistance, type CountsByDistance } from '../coherence/cache-line.js';
import { QSpinlock, TasSpinlock, TicketSpinlock, type ExclusiveSpinlock, type KernelContext } from '../kernel/index.js';
import type { Cpu, Topology } from '../topology/index.js';

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

/** CPUs the benchmark threads are pinned to, in thread order. */
export function placeThreads(topology: Topology, threads: number, placement: PausePlacement): number[] {
  let order: readonly Cpu[];
  if (placement === 'compact') order = topology.cpus;
  else if (placement === 'one-socket') order = topology.cpus.filter((cpu) => cpu.socket === 0);
  else {
    const byDomain = new Map<number, Cpu[]>();
    for (const cpu of topology.cpus) {
      const list = byDomain.get(cpu.domain);
      if (list === undefined) byDomain.set(cpu.domain, [cpu]);
      else list.push(cpu);
    }
    const domains = [...byDomain.keys()].sort((a, b) => a - b).map((d) => byDomain.get(d)!);
    const spread: Cpu[] = [];
    for (let i = 0; spread.length < topology.cpus.length; i++) {
      for (const list of domains) if (i < list.length) spread.push(list[i]);
    }
    order = spread;
  }
  if (threads < 1 || threads > order.length) {
    throw new RangeError(`${threads} threads do not fit the ${order.length} CPUs of ${topology.name} with placement '${placement}'`);
  }
  return order.slice(0, threads).map((cpu) => cpu.id);
}

export function runPauseBench(options: PauseBenchOptions): PauseBenchResult {
  const { topology, threads, durationNs } = options;
  const holdNs = options.holdNs ?? 100;
  const thinkNs = options.thinkNs ?? 100;
  const warmupNs = durationNs * (options.warmupFraction ?? 0.1);
  const sim = new Simulation({ seed: options.seed ?? 1, limits: options.limits, heapProbe: options.heapProbe });
  const context: KernelContext = { sim, topology, cpuState: new CpuState(topology) };
  const lockKind = options.lock ?? 'ttas';
  const lock: ExclusiveSpinlock =
    lockKind === 'qspinlock'
      ? new QSpinlock(context, 'global_lock')
      : lockKind === 'ticket'
        ? new TicketSpinlock(context, 'global_lock')
        : new TasSpinlock(context, 'global_lock', { mode: 'ttas' });
  const cpus = placeThreads(topology, threads, options.placement ?? 'compact');
  for (const cpu of cpus) context.cpuState.setBusy(cpu, true);

  const latencies: number[] = [];
  const handoffsAtWarmup = emptyCountsByDistance();
  function* thread(cpu: number, index: number): ProcessBody {
    // Stagger the starts by a fraction of the think time so threads do not arrive in lockstep.
    yield sim.timeout((thinkNs * index) / threads);
    for (;;) {
      if (thinkNs > 0) yield sim.timeout(thinkNs);
      const requestedNs = sim.now;
      if (requestedNs >= durationNs) return;
      yield* lock.lock(cpu);
      yield sim.timeout(context.cpuState.stretchNs(cpu, holdNs));
      lock.unlock(cpu);
      if (requestedNs >= warmupNs) latencies.push(sim.now - requestedNs);
    }
  }
  sim.timeout(warmupNs).addCallback(() => Object.assign(handoffsAtWarmup, lock.stats.handoffsByClass));
  cpus.forEach((cpu, index) => sim.process(thread(cpu, index), `pause-thread-${index}`));
  sim.run();

  const sorted = Float64Array.from(latencies).sort();
  const quantile = (q: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  const handoffsByClass = emptyCountsByDistance();
  for (const key of Object.keys(handoffsByClass) as (keyof CountsByDistance)[]) {
    handoffsByClass[key] = lock.stats.handoffsByClass[key] - handoffsAtWarmup[key];
  }
  const measuredNs = durationNs - warmupNs;
  return {
    threads,
    cpus,
    acquisitions: sorted.length,
    meanLatencyNs: sorted.length === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / sorted.length,
    p50LatencyNs: quantile(0.5),
    p99LatencyNs: quantile(0.99),
    throughputPerSec: (sorted.length / measuredNs) * 1e9,
    handoffsByClass,
  };
}
