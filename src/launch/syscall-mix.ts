/**
 * A syscall mix on one node: groups of threads, each running its procedure
 * (a list of kernel syscalls from the kernel model's recipes, or a read of
 * /proc/self/mountinfo) over and over, in a closed loop with a think time
 * between iterations or at a Poisson rate per thread. The node is the launch
 * model's (LaunchWorld): the same kernel locks, scheduler, mount tables,
 * recipe interpreter and, when `background` is on, the node's own path walks,
 * systemd and kubelet. Nothing here knows a lock's name.
 *
 * A thread's think time is work on its CPU (a tight loop between syscalls);
 * at a rate, the gap to the next arrival is spent off CPU, and an iteration
 * that arrives while the previous one runs starts when it ends (its latency
 * counts from its arrival). Iterations arriving in [warm-up, duration) are
 * measured; no new one starts after the duration, and the run ends when every
 * thread has finished its last (or at twice the duration, plus one second).
 */
import { Simulation, sample, type Distribution, type ProcessBody, type RunLimits, type SimEvent } from '../engine/index.js';
import type { LaunchModels, Step } from '../models/types.js';
import type { Topology } from '../topology/index.js';
import type { LockResult } from './result.js';
import type { MechanismSwitches } from './mechanisms.js';
import { lockResult } from './storm.js';
import { LaunchWorld } from './world.js';

/** One thing a group's iteration does: a kernel syscall (a key of LaunchModels.procedures), or a mountinfo read. */
export type MixStep = { readonly kind: 'syscall'; readonly procedure: string } | { readonly kind: 'mountinfo'; readonly parsePerLineNs: number; readonly readBytes: number };

export type MixPacing = { readonly kind: 'closed'; readonly think: Distribution } | { readonly kind: 'rate'; readonly perSecond: number };

export interface SyscallMixGroup {
  readonly name: string;
  readonly threads: number;
  readonly steps: readonly MixStep[];
  readonly pacing: MixPacing;
  /** The `layers` a recipe's counts read (mount_overlay walks layers + 3 paths). */
  readonly layers: number;
  /** Whether the group's host mounts propagate to the node's receivers (mounts under a shared /). */
  readonly propagates: boolean;
}

export interface SyscallMixSpec {
  readonly groups: readonly SyscallMixGroup[];
  /** CPU each thread prefers, groups in order, threads in order. */
  readonly cpus: readonly number[];
  readonly durationNs: number;
  readonly warmupNs: number;
  /** The node's own path walks, systemd and kubelet re-reading the mount table. */
  readonly background: boolean;
  readonly mechanisms: MechanismSwitches;
}

export interface SyscallMixGroupResult {
  readonly name: string;
  readonly threads: number;
  /** Iterations measured (arrived after warm-up, before the duration) and finished. */
  readonly operations: number;
  readonly opsPerSec: number;
  readonly meanLatencyNs: number;
  readonly p50LatencyNs: number;
  readonly p99LatencyNs: number;
}

export interface SyscallMixResult {
  readonly machine: string;
  readonly groups: readonly SyscallMixGroupResult[];
  readonly locks: readonly LockResult[];
  readonly pathInit: { readonly reads: number; readonly spunReads: number; readonly spinNs: number; readonly retries: number };
  readonly rcu: { readonly gracePeriods: number; readonly meanGracePeriodNs: number; readonly maxGracePeriodNs: number };
  readonly maxHostMounts: number;
  readonly endNs: number;
  readonly events: number;
}

export function runSyscallMix(options: { topology: Topology; models: LaunchModels; spec: SyscallMixSpec; seed: string; limits?: Partial<RunLimits>; heapProbe?: () => number }): SyscallMixResult {
  const { topology, models, spec, seed } = options;
  const sim = new Simulation({ seed, limits: options.limits, heapProbe: options.heapProbe });
  const mechanisms: MechanismSwitches = { ...spec.mechanisms, backgroundReaders: spec.background && spec.mechanisms.backgroundReaders };
  const direct = [...new Set(spec.groups.flatMap((g) => g.steps.flatMap((s) => (s.kind === 'syscall' ? [s.procedure] : []))))];
  const world = new LaunchWorld({ sim, topology, models, mechanisms, procedures: direct });
  const callOf = new Map<string, readonly Step[]>(direct.map((key) => [key, [{ kind: 'call', name: models.procedures[key].name, procedure: key, countsAsMountOp: false, onBusy: null }]]));

  const latencies = spec.groups.map(() => [] as number[]);
  const processes: SimEvent[] = [];
  let cpuIndex = 0;
  spec.groups.forEach((group, g) => {
    for (let t = 0; t < group.threads; t++) {
      const thread = world.newThread(`${group.name}-${t}`, group.layers, spec.cpus[cpuIndex++]);
      thread.propagates = group.propagates;
      const stream = sim.random.stream(`mix/${group.name}/${t}`);
      const iteration = function* (): ProcessBody {
        for (const step of group.steps) {
          if (step.kind === 'syscall') yield* world.interpreter.runSteps(thread, callOf.get(step.procedure)!, 1);
          else yield* world.services.readMountinfo(thread, step.parsePerLineNs, step.readBytes);
        }
      };
      const body = function* (): ProcessBody {
        let arrivalNs = 0;
        if (group.pacing.kind === 'rate') arrivalNs = stream.exponential(1e9 / group.pacing.perSecond);
        for (;;) {
          if (group.pacing.kind === 'closed') {
            const thinkNs = Math.max(0, sample(group.pacing.think, stream));
            if (thinkNs > 0) yield* world.interpreter.work(thread, thinkNs, world.categories.userWork);
            arrivalNs = sim.now;
          } else if (arrivalNs > sim.now) {
            yield* world.interpreter.sleepOffCpu(thread, arrivalNs - sim.now, world.categories.offCpuWork);
          }
          if (arrivalNs >= spec.durationNs) break;
          yield* iteration();
          if (arrivalNs >= spec.warmupNs) latencies[g].push(sim.now - arrivalNs);
          if (group.pacing.kind === 'rate') arrivalNs += stream.exponential(1e9 / group.pacing.perSecond);
        }
        world.cpus.leaveCpu(thread);
      };
      processes.push(sim.process(body(), thread.name));
    }
  });
  const env = models.node.environment;
  if (spec.background && mechanisms.mountinfoReaders) {
    if (env.systemd.enabled) sim.process(world.services.systemdLoop(), 'systemd');
    if (env.kubelet.enabled) sim.process(world.services.kubeletLoop(env.systemd.parsePerLineNs / 4), 'kubelet');
  }
  const allDone = sim.allOf(processes);
  const horizonNs = 2 * spec.durationNs + 1e9;
  while (!allDone.isProcessed && sim.peek() <= horizonNs) {
    if (!sim.step()) break;
  }
  world.readers?.finish(sim.now);

  const measuredNs = spec.durationNs - spec.warmupNs;
  const groups = spec.groups.map((group, g): SyscallMixGroupResult => {
    const sorted = Float64Array.from(latencies[g]).sort();
    const quantile = (q: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return {
      name: group.name,
      threads: group.threads,
      operations: sorted.length,
      opsPerSec: measuredNs > 0 ? (sorted.length / measuredNs) * 1e9 : 0,
      meanLatencyNs: sorted.length === 0 ? 0 : latencies[g].reduce((a, b) => a + b, 0) / sorted.length,
      p50LatencyNs: quantile(0.5),
      p99LatencyNs: quantile(0.99),
    };
  });
  const locks: LockResult[] = [];
  for (const [name, lock] of world.locks.seqlocks) locks.push(lockResult(name, lock.stats));
  for (const [name, sem] of world.locks.rwsems) locks.push(lockResult(name, sem.stats));
  const reader = world.locks.walkLock.readerStats;
  const rcu = world.locks.rcu.stats;
  return {
    machine: topology.name,
    groups,
    locks,
    pathInit: { reads: reader.reads, spunReads: reader.spunReads, spinNs: reader.spinNs, retries: reader.retries },
    rcu: { gracePeriods: rcu.gracePeriods, meanGracePeriodNs: rcu.meanGpNs, maxGracePeriodNs: rcu.maxGpNs },
    maxHostMounts: world.mounts.maxHostMounts,
    endNs: sim.now,
    events: sim.eventsProcessed,
  };
}
