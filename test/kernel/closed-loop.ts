/**
 * Test harness: N threads pinned to CPUs, each looping think -> lock -> hold
 * -> unlock on one exclusive spinlock, with a safety monitor on the lock's
 * probes (never two holders, every acquire preceded by a release).
 */
import { CpuState } from '../../src/coherence/cpu-state.js';
import { Simulation, type ProcessBody } from '../../src/engine/index.js';
import type { ExclusiveSpinlock, KernelContext, LockStats } from '../../src/kernel/index.js';
import { ListeningStats } from '../support/listening-stats.js';
import type { Topology } from '../../src/topology/topology.js';

export interface ClosedLoopOptions {
  topology: Topology;
  cpus: readonly number[];
  /** Builds the lock; it must report to `stats`. */
  makeLock: (context: KernelContext, stats: LockStats) => ExclusiveSpinlock;
  meanThinkNs: number;
  meanHoldNs: number;
  /** 'exponential' or 'fixed' times. */
  times: 'exponential' | 'fixed';
  durationNs: number;
  warmupNs?: number;
  seed?: number | string;
  /** Record the order of requests and acquisitions. */
  recordOrder?: boolean;
}

export interface ClosedLoopResult {
  throughputPerNs: number;
  meanWaitNs: number;
  meanHoldNs: number;
  meanThinkNs: number;
  completed: number;
  safetyViolations: string[];
  requestOrder: number[];
  acquireOrder: number[];
  lock: ExclusiveSpinlock;
}

export function runClosedLoop(options: ClosedLoopOptions): ClosedLoopResult {
  const sim = new Simulation({ seed: options.seed ?? 1 });
  const context: KernelContext = { sim, topology: options.topology, cpuState: new CpuState(options.topology) };
  const stats = new ListeningStats();
  const lock = options.makeLock(context, stats);
  const warmupNs = options.warmupNs ?? options.durationNs / 10;
  const violations: string[] = [];
  let holder = -1;
  const requestOrder: number[] = [];
  const acquireOrder: number[] = [];
  stats.on('acquired', (p) => {
    if (holder !== -1) violations.push(`t=${p.timeNs}: cpu ${p.cpu} acquired while cpu ${holder} holds`);
    holder = p.cpu;
    if (options.recordOrder) acquireOrder.push(p.cpu);
  });
  stats.on('released', (p) => {
    if (holder !== p.cpu) violations.push(`t=${p.timeNs}: cpu ${p.cpu} released but holder is ${holder}`);
    holder = -1;
  });
  if (options.recordOrder) stats.on('requested', (p) => requestOrder.push(p.cpu));

  let completed = 0;
  let waitSum = 0;
  let holdSum = 0;
  let thinkSum = 0;
  const draw = (stream: string, mean: number): number =>
    options.times === 'fixed' ? mean : sim.random.stream(stream).exponential(mean);
  function* thread(cpu: number): ProcessBody {
    context.cpuState.setBusy(cpu, true);
    for (;;) {
      const thinkNs = draw(`think/${cpu}`, options.meanThinkNs);
      if (thinkNs > 0) yield sim.timeout(thinkNs);
      const requestedNs = sim.now;
      if (requestedNs >= options.durationNs) return;
      yield* lock.lock(cpu);
      const acquiredNs = sim.now;
      const holdNs = context.cpuState.stretchNs(cpu, draw(`hold/${cpu}`, options.meanHoldNs));
      if (holdNs > 0) yield sim.timeout(holdNs);
      lock.unlock(cpu);
      if (requestedNs >= warmupNs) {
        completed++;
        waitSum += acquiredNs - requestedNs;
        holdSum += sim.now - acquiredNs;
        thinkSum += thinkNs;
      }
    }
  }
  for (const cpu of options.cpus) sim.process(thread(cpu), `thread-${cpu}`);
  sim.run();
  return {
    throughputPerNs: completed / (options.durationNs - warmupNs),
    meanWaitNs: waitSum / completed,
    meanHoldNs: holdSum / completed,
    meanThinkNs: thinkSum / completed,
    completed,
    safetyViolations: violations,
    requestOrder,
    acquireOrder,
    lock,
  };
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
