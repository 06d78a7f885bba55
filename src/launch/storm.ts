/**
 * A container-launch storm on one node: containers arrive (burst, ramp,
 * Poisson stream, or staggered the way kubelet starts pods), each runs its
 * runtime's passes as a thread on a CPU, background readers run alongside,
 * and deadlines decide which launches failed.
 *
 * A launch that missed its deadline is not aborted: containerd and runc
 * finish the work (and keep contending), as on a real node. One whose CRI
 * request timed out finishes that request but makes no further one
 * (kubelet.ts: its retries find the name reserved). A launch ends when its
 * application passes its first readiness probe (applications.ts).
 */
import { Simulation, type ProcessBody, type RandomStream, type RunLimits, type SimEvent } from '../engine/index.js';
import type { Topology } from '../topology/index.js';
import type { LaunchModels } from '../models/types.js';
import type { LockStats, LogHistogram } from '../kernel/index.js';
import { LaunchWorld } from './world.js';
import type { KernelThread } from './thread.js';
import type { ArrivalSpec, LaunchSpec, LayerSpec, PlacementPolicy } from './spec.js';
import type { ContainerResult, FailureReason, LaunchRunResult, LockResult } from './result.js';
import { Applications } from './applications.js';
import { KubeletCri } from './kubelet.js';

function drawLayers(spec: LayerSpec, stream: RandomStream, heterogeneous: boolean): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.value;
    case 'normal':
      if (!heterogeneous) return Math.round(spec.mean);
      return Math.min(spec.max, Math.max(spec.min, Math.round(stream.normal(spec.mean, spec.sd))));
    case 'uniform':
      if (!heterogeneous) return Math.round((spec.min + spec.max) / 2);
      return spec.min + stream.integer(spec.max - spec.min + 1);
  }
}

function arrivalTimes(spec: ArrivalSpec, count: number, stream: RandomStream, heterogeneous: boolean): number[] {
  if (!heterogeneous && spec.kind !== 'poisson') return new Array<number>(count).fill(0);
  switch (spec.kind) {
    case 'burst':
      return new Array<number>(count).fill(0);
    case 'ramp':
      return Array.from({ length: count }, (_, i) => (count <= 1 ? 0 : (spec.overNs * i) / (count - 1)));
    case 'poisson': {
      const times: number[] = [];
      let t = 0;
      for (let i = 0; i < count; i++) {
        times.push(t);
        t += stream.exponential(1e9 / spec.perSecond);
      }
      return times;
    }
    case 'staggered':
      // Image pulls finish at different times: each pod's runtime work starts uniformly over the window.
      return Array.from({ length: count }, () => stream.uniform(0, spec.overNs)).sort((a, b) => a - b);
  }
}

function preferredCpus(topology: Topology, policy: PlacementPolicy, count: number, stream: RandomStream): number[] {
  const cpus = topology.cpus.map((c) => c.id);
  switch (policy) {
    case 'spread':
      return Array.from({ length: count }, (_, i) => cpus[i % cpus.length]);
    case 'compact':
      return Array.from({ length: count }, () => cpus[0]);
    case 'random':
      return Array.from({ length: count }, () => stream.pick(cpus));
  }
}

/**
 * The model froze: launches are in progress, none has run a step for
 * longer than any recipe step or sleep lasts, and none is in a timed wait
 * (a sleep, a CPU step or a critical section still running).
 * Only a model bug does that (a lost wake-up, CPUs held by spinners on an
 * owner that cannot run); reported rather than returned as slow launches.
 */
export class ModelStallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelStallError';
  }
}

/** Longest stretch without a launch step, every launch blocked, that is still progress: lock waits end far sooner. */
const STALL_NS = 10e9;

function checkProgress(world: LaunchWorld, inProgress: ReadonlySet<{ readonly thread: KernelThread }>, endNs: number): void {
  if (inProgress.size === 0 || endNs - world.interpreter.lastStepNs <= STALL_NS) return;
  for (const launch of inProgress) if (launch.thread.awakeAtNs > endNs) return;
  throw new ModelStallError(
    `the launch model froze: ${inProgress.size} launches in progress ran no step from ${(world.interpreter.lastStepNs / 1e9).toFixed(3)} s to the end at ${(endNs / 1e9).toFixed(3)} s of simulated time, and none was in a timed wait; this is a bug in the model, please report it with the scenario and seed`,
  );
}

/** Runs one replication of a launch storm and returns plain, JSON-ready results. */
export function runLaunchStorm(options: {
  topology: Topology;
  models: LaunchModels;
  spec: LaunchSpec;
  seed: string;
  limits?: Partial<RunLimits>;
  /** Heap in use, for the engine's memory cap (supplied by the pipeline; the model reads no process state). */
  heapProbe?: () => number;
  kubeletParsePerLineNs?: number;
}): LaunchRunResult {
  const { topology, models, spec, seed } = options;
  const sim = new Simulation({ seed, limits: options.limits, heapProbe: options.heapProbe });
  const world = new LaunchWorld({ sim, topology, models, mechanisms: spec.mechanisms });
  const env = models.node.environment;
  const heterogeneous = spec.mechanisms.heterogeneity;
  const starts = arrivalTimes(spec.arrival, spec.containers, sim.random.stream('workload/arrivals'), heterogeneous);
  const layerStream = sim.random.stream('workload/layers');
  const layers = starts.map(() => drawLayers(spec.layers, layerStream, heterogeneous));
  const cpus = preferredCpus(topology, spec.placement, spec.containers, sim.random.stream('workload/placement'));
  const jitterStream = sim.random.stream('workload/jitter');
  const nodeParameter = (name: string): number => models.node.parameters[name]?.value ?? 0;
  const jitter = nodeParameter('launch_jitter');
  const jittered = (ns: number): number => (jitter > 0 && heterogeneous ? ns * jitterStream.uniform(1 - jitter, 1 + jitter) : ns);

  interface LaunchState {
    readonly index: number;
    thread: KernelThread;
    startNs: number;
    endNs: number | null;
    reason: FailureReason | null;
    /** kubelet gave the launch up (a CRI request timed out): it issues no further request and never completes. */
    gaveUp: boolean;
  }
  const launches: LaunchState[] = [];
  const inProgress = new Set<LaunchState>();
  /** Launches that finished or were given up. */
  let settled = 0;
  const criOn = spec.mechanisms.kubeletCri;
  const kubelet = criOn ? new KubeletCri(world) : null;
  const applications = new Applications(world, spec.containers, heterogeneous);

  const otherWork = world.passNumber('other launch work');
  /** One CRI request (a runtime pass) with kubelet's request timeout running from its start. */
  function* request(state: LaunchState, p: number): ProcessBody {
    const thread = state.thread;
    const pass = models.runtime.passes[p];
    const passStart = sim.now;
    let answered = false;
    if (kubelet !== null) {
      sim.timeout(spec.deadlines.runtimeRequestNs).addCallback(() => {
        if (answered || state.gaveUp) return;
        state.reason ??= 'runtime-request-timeout';
        state.gaveUp = true;
        sim.process(kubelet.retryLoop(), `${thread.name}-retries`);
      });
    }
    thread.pass = p;
    yield* world.interpreter.runSteps(thread, pass.steps, 1);
    world.cpus.leaveCpu(thread);
    answered = true;
    if (kubelet === null && sim.now - passStart > spec.deadlines.runtimeRequestNs) state.reason ??= 'runtime-request-timeout';
    thread.pass = otherWork;
  }

  function* launch(state: LaunchState): ProcessBody {
    const thread = state.thread;
    yield sim.timeout(state.startNs);
    inProgress.add(state);
    thread.pass = otherWork;
    // A NotReady node's kubelet syncs no pod: the launch waits before its first request.
    const ready = kubelet?.whenReady() ?? null;
    if (ready !== null) yield ready;
    yield* world.interpreter.sleepOffCpu(thread, jittered(nodeParameter('launch_before')), world.categories.offCpuWork);
    const passes = models.runtime.passes;
    for (let p = 0; p < passes.length; p++) {
      if (passes[p].beforeNs > 0) yield* world.interpreter.sleepOffCpu(thread, jittered(passes[p].beforeNs), world.categories.offCpuWork);
      yield* request(state, p);
      if (state.gaveUp) break;
    }
    if (!state.gaveUp) {
      yield* applications.untilReady(thread, state.index);
      state.endNs = sim.now;
      if (sim.now - state.startNs > spec.deadlines.launchNs) state.reason ??= 'launch-deadline';
    }
    inProgress.delete(state);
    settled++;
  }

  const launchProcesses: SimEvent[] = [];
  for (let i = 0; i < spec.containers; i++) {
    const thread = world.newThread(`container-${i}`, layers[i], cpus[i]);
    thread.propagates = true;
    const state: LaunchState = { index: i, thread, startNs: starts[i], endNs: null, reason: null, gaveUp: false };
    launches.push(state);
    launchProcesses.push(sim.process(launch(state), thread.name));
  }

  const mountinfoOn = spec.mechanisms.mountinfoReaders;
  if (mountinfoOn && env.systemd.enabled) sim.process(world.services.systemdLoop(), 'systemd');
  if (mountinfoOn && env.kubelet.enabled) sim.process(world.services.kubeletLoop(options.kubeletParsePerLineNs ?? env.systemd.parsePerLineNs / 4), 'kubelet');
  if (kubelet !== null && env.kubelet.enabled) {
    sim.process(kubelet.plegLoop(() => inProgress.size), 'kubelet-pleg');
    sim.process(kubelet.statusLoop(), 'kubelet-status');
    sim.process(kubelet.healthLoop(), 'kubelet-health');
  }
  if (env.nodeHealthCheck.enabled) {
    sim.process(
      world.services.healthCheckLoop(
        spec.deadlines.nodeHealthCheckNs,
        () => settled === spec.containers,
        () => {
          for (const state of inProgress) state.reason ??= 'node-health-check';
        },
      ),
      'node-health-check',
    );
  }
  sim.process(
    (function* sampler(): ProcessBody {
      for (;;) {
        world.mounts.sample();
        if (settled === spec.containers) return;
        yield sim.timeout(spec.sampleEveryNs);
      }
    })(),
    'mount-table-sampler',
  );

  // Run until every launch finished or the horizon; background loops never end on their own.
  const allDone = sim.allOf(launchProcesses);
  while (!allDone.isProcessed && sim.peek() <= spec.horizonNs) {
    if (!sim.step()) break;
  }
  const endNs = sim.now;
  checkProgress(world, inProgress, endNs);
  // Other processes' path lookups during the run, spinning or not: the rest of the path-walk CPU time.
  world.readers?.finish(endNs);

  const containers: ContainerResult[] = launches.map((state, index) => {
    const unfinished = state.endNs === null;
    const reason: FailureReason | null = unfinished ? (state.reason ?? 'unfinished') : state.reason;
    return {
      index,
      layers: state.thread.layers,
      startNs: state.startNs,
      latencyNs: unfinished ? null : state.endNs! - state.startNs,
      failed: reason !== null,
      reason,
      mountOps: state.thread.mountOps,
      syscalls: state.thread.syscalls,
      syscallCounts: Object.fromEntries([...state.thread.syscallCounts].sort(([a], [b]) => a.localeCompare(b))),
      timeNs: Array.from(state.thread.timeNs),
    };
  });

  const locks: LockResult[] = [];
  for (const [name, lock] of world.locks.seqlocks) locks.push(lockResult(name, lock.stats));
  for (const [name, sem] of world.locks.rwsems) locks.push(lockResult(name, sem.stats));
  const reader = world.locks.walkLock.readerStats;
  const rcuStats = world.locks.rcu.stats;
  return {
    seed,
    machine: topology.name,
    runtime: models.runtime.name,
    containers,
    locks,
    pathInit: { reads: reader.reads, spunReads: reader.spunReads, spinNs: reader.spinNs, retries: reader.retries },
    rcu: {
      gracePeriods: rcuStats.gracePeriods,
      meanGracePeriodNs: rcuStats.meanGpNs,
      maxGracePeriodNs: rcuStats.maxGpNs,
      heldOpen: rcuStats.heldOpenGracePeriods,
      callers: rcuStats.callers,
    },
    background: { ...world.background, readerTimeNs: undefined, leakedMounts: world.mounts.leakedMounts },
    readerTimeNs: Array.from(world.background.readerTimeNs),
    mountTable: {
      maxHostMounts: world.mounts.maxHostMounts,
      maxSystemMounts: world.mounts.maxSystemMounts,
      maxReceivers: world.mounts.maxReceivers,
      maxWindow: world.mounts.maxWindowCount,
      samples: world.mounts.samples.map((s) => ({ ...s })),
    },
    scheduler: { runQueueWaitNs: world.scheduler.runQueueWaitNs, maxRunQueueLength: world.scheduler.maxRunQueueLength },
    folded: world.time.folded('container launch'),
    endNs,
    events: sim.eventsProcessed,
  };
}

/** One lock's counters as a run result reports them. */
export function lockResult(name: string, stats: LockStats): LockResult {
  const quantiles = (histogram: LogHistogram) => ({ p50: histogram.quantile(0.5), p90: histogram.quantile(0.9), p99: histogram.quantile(0.99) });
  return {
    name,
    acquisitions: stats.acquisitions,
    contendedAcquisitions: stats.contendedAcquisitions,
    meanWaitNs: stats.meanWaitNs,
    maxWaitNs: stats.maxWaitNs,
    meanHoldNs: stats.meanHoldNs,
    maxHoldNs: stats.maxHoldNs,
    spinNs: stats.spinNs,
    sleepNs: stats.sleepNs,
    handoffsByClass: { ...stats.handoffsByClass },
    waitQuantilesNs: quantiles(stats.waitHistogram),
    holdQuantilesNs: quantiles(stats.holdHistogram),
  };
}
