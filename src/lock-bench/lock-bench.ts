/**
 * A lock benchmark: N threads, each pinned to a CPU, taking one lock over
 * and over. Closed (each thread thinks, requests, holds, releases, thinks
 * again) or open (requests arrive as a Poisson stream and an idle thread
 * takes each, the others wait in a backlog). The lock is any of the kernel
 * models (qspinlock, ticket, TAS, TTAS, MCS, the rwsem with a read/write mix,
 * the seqlock's writers and lockless readers, RCU readers and updaters
 * waiting for expedited grace periods) or the ideal FIFO lock of queueing
 * theory. Think and hold times come from any engine distribution; a critical
 * section may also write k more cache lines, one after another (a section
 * that updates a structure's nodes in turn), each a line with its own home.
 *
 * Every benchmark CPU is busy the whole run (thinking, spinning or holding),
 * so a holder whose SMT sibling runs a benchmark thread is stretched by the
 * topology's smtSlowdown; rwsem sleepers and RCU updaters idle their CPU
 * while they wait. The run stops at a simulated duration (requests after it
 * are not made; the first `warmupFraction` of the time is warm-up) or after
 * a count of acquisitions past a warm-up count. Models emit numbers only.
 *
 * What is measured, per acquisition after warm-up: the wait (request to
 * holding), the hold, the latency (request, or arrival in an open run, to
 * release), the think time before it; per thread its acquisitions and mean
 * wait; over the measured window the handoffs by distance class, the share
 * of time the lock is held, and the share of time the lock line's home is
 * busy. pause_bench (R8) is one configuration of this model (pause-bench.ts).
 */
import { CacheLine, emptyCountsByDistance, type CountsByDistance } from '../coherence/cache-line.js';
import { CpuState } from '../coherence/cpu-state.js';
import { Simulation, sample, distributionMean, type Distribution, type ProcessBody, type RandomStream, type RunLimits, type SimEvent } from '../engine/index.js';
import {
  ExpeditedRcu,
  IdealFifoLock,
  McsSpinlock,
  QSpinlock,
  RwSemaphore,
  SeqLock,
  TasSpinlock,
  TicketSpinlock,
  type ExclusiveSpinlock,
  type KernelContext,
  type LockStats,
  type TicketHandoffModel,
} from '../kernel/index.js';
import type { Topology } from '../topology/index.js';
import { placeThreads, type BenchPlacement } from './placement.js';

export type BenchLockKind = 'qspinlock' | 'ticket' | 'tas' | 'ttas' | 'mcs' | 'fifo' | 'rwsem' | 'seqlock' | 'rcu';

export const BENCH_LOCK_KINDS: readonly BenchLockKind[] = ['qspinlock', 'ticket', 'tas', 'ttas', 'mcs', 'fifo', 'rwsem', 'seqlock', 'rcu'];

/** Locks with a read side: each operation is a read with probability `readShare`. */
export const READ_WRITE_LOCKS: readonly BenchLockKind[] = ['rwsem', 'seqlock', 'rcu'];

/** How requests are made: each thread in a loop, or an open Poisson stream served by idle threads. */
export type BenchArrival = { readonly kind: 'closed' } | { readonly kind: 'open'; readonly meanInterarrivalNs: number };

/** When the run ends. */
export type BenchStop = { readonly durationNs: number } | { readonly acquisitions: number };

export interface LockBenchOptions {
  readonly topology: Topology;
  readonly threads: number;
  readonly placement?: BenchPlacement;
  readonly lock: BenchLockKind;
  /** Work between a release and the next request (closed runs). */
  readonly think: Distribution;
  /** Critical section (write side), before SMT stretch and the extra lines. */
  readonly hold: Distribution;
  /** Read-side section of rwsem, seqlock and RCU readers (default: `hold`). */
  readonly readHold?: Distribution;
  /** Share of operations that are reads (rwsem, seqlock, rcu); default 0. */
  readonly readShare?: number;
  readonly arrival?: BenchArrival;
  /** Cache lines the critical section writes besides the lock's, one after another. */
  readonly extraLines?: number;
  /** Ticket lock only: locksim's home queue (default) or the Boyd-Wickizer chain's c*k/2. */
  readonly ticketHandoff?: TicketHandoffModel;
  /** Ideal FIFO lock only: time from a release to the next holder holding, ns. */
  readonly fifoHandoffNs?: number;
  /** rwsem only: a sleeper's wake-up, and a writer's longest optimistic spin, ns. */
  readonly rwsem?: { readonly wakeupNs: number; readonly maxSpinNs: number };
  /** RCU only: an expedited grace period's fixed cost and its cost per online CPU, ns. */
  readonly rcu?: { readonly baseNs: number; readonly perCpuNs: number };
  readonly stop: BenchStop;
  /** Duration runs: share of the duration that is warm-up; count runs: warm-up acquisitions as a share of the count. Default 0.1. */
  readonly warmupFraction?: number;
  readonly seed?: string | number;
  readonly limits?: Partial<RunLimits>;
  /** Heap in use, for the engine's memory cap (supplied by the caller). */
  readonly heapProbe?: () => number;
}

export interface LockBenchResult {
  readonly lock: BenchLockKind;
  readonly threads: number;
  readonly cpus: readonly number[];
  /** Acquisitions after warm-up (reads and writes). */
  readonly acquisitions: number;
  readonly reads: number;
  readonly writes: number;
  /** The measured window, ns (duration runs: the duration less warm-up). */
  readonly measuredNs: number;
  readonly throughputPerSec: number;
  /** Request (arrival, in an open run) to release. */
  readonly meanLatencyNs: number;
  readonly p50LatencyNs: number;
  readonly p99LatencyNs: number;
  /** Request to holding (a seqlock reader: to the start of its read that stood). */
  readonly meanWaitNs: number;
  readonly waitQuantilesNs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly p999: number };
  readonly meanReadWaitNs: number;
  readonly meanWriteWaitNs: number;
  readonly meanHoldNs: number;
  readonly meanThinkNs: number;
  /** An open run: time requests spent in the backlog before a thread took them. */
  readonly meanBacklogNs: number;
  readonly perThreadAcquisitions: readonly number[];
  readonly perThreadMeanWaitNs: readonly number[];
  /** Share of the measured window with the lock held in any mode (RCU: some reader in a read-side section). */
  readonly lockUtilisation: number;
  /** Share of the measured window the lock line's home was busy (0 for the ideal lock and RCU). */
  readonly homeUtilisation: number;
  /** Little's law: closed, N / (X (Z + W + S)); open, the time-average number of requests in the system / (X x mean latency). 1 when it holds. */
  readonly littleRatio: number;
  readonly handoffsByClass: CountsByDistance;
  /** Seqlock readers: reads that had to run again because a write moved the count. */
  readonly readRetries: number;
  /** RCU: grace periods ended, and their mean length, ns. */
  readonly gracePeriods: number;
  readonly meanGracePeriodNs: number;
}

/** The lock a benchmark runs, behind one interface: take it (read or write), release it. */
interface BenchLock {
  readonly stats: LockStats | null;
  readonly line: CacheLine | null;
  /** Runs one operation's lock phase on `cpu`; returns when held; `read` for the read side. */
  acquire(cpu: number, read: boolean): ProcessBody<void>;
  release(cpu: number, read: boolean): void;
}

function exclusive(lock: ExclusiveSpinlock): BenchLock {
  return {
    stats: lock.stats,
    line: lock.line,
    acquire: (cpu) => lock.lock(cpu),
    release: (cpu) => lock.unlock(cpu),
  };
}

function makeLock(options: LockBenchOptions, context: KernelContext): { lock: BenchLock; seqlock: SeqLock | null; rcu: ExpeditedRcu | null } {
  const name = 'global_lock';
  switch (options.lock) {
    case 'qspinlock':
      return { lock: exclusive(new QSpinlock(context, name)), seqlock: null, rcu: null };
    case 'ticket':
      return { lock: exclusive(new TicketSpinlock(context, name, { handoff: options.ticketHandoff })), seqlock: null, rcu: null };
    case 'tas':
    case 'ttas':
      return { lock: exclusive(new TasSpinlock(context, name, { mode: options.lock })), seqlock: null, rcu: null };
    case 'mcs':
      return { lock: exclusive(new McsSpinlock(context, name)), seqlock: null, rcu: null };
    case 'fifo':
      return { lock: exclusive(new IdealFifoLock(context, name, { handoffNs: options.fifoHandoffNs })), seqlock: null, rcu: null };
    case 'rwsem': {
      const sem = new RwSemaphore(context, name, { wakeupNs: options.rwsem?.wakeupNs ?? 5000, maxSpinNs: options.rwsem?.maxSpinNs ?? Infinity });
      return {
        lock: {
          stats: sem.stats,
          line: sem.line,
          *acquire(cpu, read) {
            if (read) yield* sem.downRead(cpu);
            else {
              yield* sem.downWrite(cpu);
              // Pinned: the owner runs as soon as it holds, so writers may spin on it.
              sem.setOwnerRunning(true);
            }
          },
          release: (cpu, read) => (read ? sem.upRead(cpu) : sem.upWrite(cpu)),
        },
        seqlock: null,
        rcu: null,
      };
    }
    case 'seqlock': {
      const seqlock = new SeqLock(context, name);
      return {
        lock: {
          stats: seqlock.stats,
          line: seqlock.line,
          acquire: (cpu) => seqlock.writeLock(cpu),
          release: (cpu) => seqlock.writeUnlock(cpu),
        },
        seqlock,
        rcu: null,
      };
    }
    case 'rcu': {
      const rcu = new ExpeditedRcu(context, 'rcu', { baseNs: options.rcu?.baseNs ?? 300_000, perCpuNs: options.rcu?.perCpuNs ?? 2000 });
      return {
        lock: {
          stats: null,
          line: null,
          // eslint-disable-next-line require-yield
          *acquire(cpu) {
            rcu.enterReadSide(cpu);
          },
          release: (cpu) => rcu.exitReadSide(cpu),
        },
        seqlock: null,
        rcu,
      };
    }
  }
}

/** One measured acquisition, kept until the summary. */
class Samples {
  readonly latency: number[] = [];
  readonly wait: number[] = [];
  hold = 0;
  think = 0;
  backlog = 0;
  reads = 0;
  readWait = 0;
  writeWait = 0;
}

function quantileOf(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs one replication of a lock benchmark; plain, JSON-ready results. */
export function runLockBench(options: LockBenchOptions): LockBenchResult {
  const { topology, threads } = options;
  const stop = options.stop;
  const warmupFraction = options.warmupFraction ?? 0.1;
  const durationNs = 'durationNs' in stop ? stop.durationNs : Infinity;
  const warmupNs = 'durationNs' in stop ? stop.durationNs * warmupFraction : Infinity;
  const countTarget = 'acquisitions' in stop ? stop.acquisitions : 0;
  const warmupCount = 'acquisitions' in stop ? Math.ceil(stop.acquisitions * warmupFraction) : 0;
  const sim = new Simulation({ seed: options.seed ?? 1, limits: options.limits, heapProbe: options.heapProbe });
  const context: KernelContext = { sim, topology, cpuState: new CpuState(topology) };
  const { lock, seqlock, rcu } = makeLock(options, context);
  const cpus = placeThreads(topology, threads, options.placement ?? 'compact');
  for (const cpu of cpus) context.cpuState.setBusy(cpu, true);
  const dataLines = Array.from({ length: options.extraLines ?? 0 }, (_, i) => new CacheLine(context, `data-${i}`));
  const arrival = options.arrival ?? { kind: 'closed' };
  const readShare = READ_WRITE_LOCKS.includes(options.lock) ? (options.readShare ?? 0) : 0;
  const readHold = options.readHold ?? options.hold;

  const samples = new Samples();
  const perThreadCount = new Array<number>(threads).fill(0);
  const perThreadWait = new Array<number>(threads).fill(0);
  let completions = 0;
  let readRetries = 0;

  // The measured window: its start is a time (duration runs) or the warm-up count's last completion.
  let windowStartNs = 'durationNs' in stop ? warmupNs : NaN;
  let windowEndNs = NaN;
  const handoffsAtStart = emptyCountsByDistance();
  let homeBusyAtStart = 0;
  let heldAreaAtStart = 0;
  let systemAreaAtStart = 0;
  // Time integrals: with the lock held, and of the requests in the system (open runs).
  let holders = 0;
  let heldArea = 0;
  let heldSinceNs = 0;
  let inSystem = 0;
  let systemArea = 0;
  let systemSinceNs = 0;
  const heldAreaNow = (): number => heldArea + (holders > 0 ? sim.now - heldSinceNs : 0);
  const systemAreaNow = (): number => systemArea + inSystem * (sim.now - systemSinceNs);
  const changeHolders = (delta: number): void => {
    if (holders > 0) heldArea += sim.now - heldSinceNs;
    heldSinceNs = sim.now;
    holders += delta;
  };
  const changeSystem = (delta: number): void => {
    systemArea += inSystem * (sim.now - systemSinceNs);
    systemSinceNs = sim.now;
    inSystem += delta;
  };
  const startWindow = (): void => {
    if (lock.stats !== null) Object.assign(handoffsAtStart, lock.stats.handoffsByClass);
    homeBusyAtStart = lock.line?.stats.homeBusyNs ?? 0;
    heldAreaAtStart = heldAreaNow();
    systemAreaAtStart = systemAreaNow();
  };

  const done = sim.event<void>();
  /** A completed operation: kept when it counts (requested after warm-up, or within the counted acquisitions). */
  const complete = (index: number, requestedNs: number, waitNs: number, holdNs: number, thinkNs: number, backlogNs: number, read: boolean): void => {
    completions++;
    let counted: boolean;
    if ('durationNs' in stop) counted = requestedNs >= warmupNs;
    else {
      counted = completions > warmupCount && completions <= warmupCount + countTarget;
      if (completions === warmupCount) {
        windowStartNs = sim.now;
        startWindow();
      }
    }
    if (counted) {
      samples.latency.push(sim.now - requestedNs);
      samples.wait.push(waitNs);
      samples.hold += holdNs;
      samples.think += thinkNs;
      samples.backlog += backlogNs;
      if (read) {
        samples.reads++;
        samples.readWait += waitNs;
      } else samples.writeWait += waitNs;
      perThreadCount[index]++;
      perThreadWait[index] += waitNs;
    }
    if ('acquisitions' in stop && completions === warmupCount + countTarget) {
      windowEndNs = sim.now;
      done.succeed();
    }
  };
  if (warmupCount === 0 && 'acquisitions' in stop) windowStartNs = 0;

  const streams = (index: number) => ({
    think: sim.random.stream(`think/${index}`),
    hold: sim.random.stream(`hold/${index}`),
    mix: sim.random.stream(`mix/${index}`),
  });
  const draw = (distribution: Distribution, stream: RandomStream): number => (distribution.kind === 'deterministic' ? distribution.value : Math.max(0, sample(distribution, stream)));

  /** One operation by thread `index` on `cpu`, requested at `requestedNs`: wait, hold, release. */
  function* operation(index: number, cpu: number, own: ReturnType<typeof streams>, requestedNs: number, thinkNs: number, backlogNs: number): ProcessBody {
    const read = readShare >= 1 || (readShare > 0 && own.mix.next() < readShare);
    const startNs = sim.now;
    if (rcu !== null && !read) {
      // An updater: its update (no lock taken here), then synchronize_rcu_expedited().
      const updateNs = draw(options.hold, own.hold);
      if (updateNs > 0) yield sim.timeout(context.cpuState.stretchNs(cpu, updateNs));
      const gpStartNs = sim.now;
      yield* rcu.synchronizeExpedited(cpu);
      complete(index, requestedNs, sim.now - gpStartNs, updateNs, thinkNs, backlogNs, false);
      return;
    }
    if (seqlock !== null && read) {
      // A lockless reader: read_seqcount_begin (spinning while a write runs), its section, read_seqretry.
      for (;;) {
        const attemptNs = sim.now;
        let sequence = seqlock.readBeginNowIfEven(cpu);
        if (sequence < 0) sequence = yield* seqlock.readBegin(cpu);
        else if (seqlock.readDelayNs > 0) yield sim.timeout(seqlock.readDelayNs);
        const sectionNs = context.cpuState.stretchNs(cpu, draw(readHold, own.hold));
        changeHolders(1);
        if (sectionNs > 0) yield sim.timeout(sectionNs);
        changeHolders(-1);
        if (!seqlock.readRetry(sequence, cpu)) {
          complete(index, requestedNs, attemptNs - startNs, sectionNs, thinkNs, backlogNs, true);
          return;
        }
        readRetries++;
      }
    }
    yield* lock.acquire(cpu, read);
    const acquiredNs = sim.now;
    changeHolders(1);
    let linesNs = 0;
    for (const line of dataLines) linesNs = line.write(cpu, acquiredNs + linesNs) - acquiredNs;
    const baseNs = draw(read ? readHold : options.hold, own.hold);
    yield sim.timeout(linesNs + context.cpuState.stretchNs(cpu, baseNs));
    changeHolders(-1);
    lock.release(cpu, read);
    complete(index, requestedNs, acquiredNs - startNs, sim.now - acquiredNs, thinkNs, backlogNs, read);
  }

  const meanThinkNs = distributionMean(options.think);
  function* closedThread(cpu: number, index: number): ProcessBody {
    const own = streams(index);
    // Stagger the starts by a fraction of the think time so threads do not arrive in lockstep.
    yield sim.timeout((meanThinkNs * index) / threads);
    for (;;) {
      const thinkNs = draw(options.think, own.think);
      if (thinkNs > 0) yield sim.timeout(thinkNs);
      const requestedNs = sim.now;
      if (requestedNs >= durationNs) return;
      yield* operation(index, cpu, own, requestedNs, thinkNs, 0);
    }
  }

  // An open run: arrivals queue in a backlog; idle threads (longest idle first) take them.
  const backlog: number[] = [];
  let backlogHead = 0;
  const idle: { index: number; event: SimEvent<number> }[] = [];
  let arrivalsOver = false;
  function* openThread(cpu: number, index: number): ProcessBody {
    const own = streams(index);
    for (;;) {
      let arrivedNs: number;
      if (backlogHead < backlog.length) arrivedNs = backlog[backlogHead++];
      else if (arrivalsOver) return;
      else {
        const event = sim.event<number>();
        idle.push({ index, event });
        arrivedNs = yield event;
        if (arrivedNs < 0) return;
      }
      yield* operation(index, cpu, own, arrivedNs, 0, sim.now - arrivedNs);
      changeSystem(-1);
    }
  }
  function* arrivals(meanInterarrivalNs: number): ProcessBody {
    const stream = sim.random.stream('arrivals');
    for (;;) {
      yield sim.timeout(stream.exponential(meanInterarrivalNs));
      if (sim.now >= durationNs || done.isTriggered) break;
      changeSystem(1);
      const waiting = idle.shift();
      if (waiting !== undefined) waiting.event.succeed(sim.now);
      else backlog.push(sim.now);
    }
    arrivalsOver = true;
    for (const waiting of idle.splice(0)) waiting.event.succeed(-1);
  }

  if ('durationNs' in stop) sim.timeout(warmupNs).addCallback(startWindow);
  if (arrival.kind === 'closed') cpus.forEach((cpu, index) => sim.process(closedThread(cpu, index), `bench-thread-${index}`));
  else {
    cpus.forEach((cpu, index) => sim.process(openThread(cpu, index), `bench-thread-${index}`));
    sim.process(arrivals(arrival.meanInterarrivalNs), 'arrivals');
  }
  if ('acquisitions' in stop) sim.run(done);
  else sim.run();
  if (Number.isNaN(windowEndNs)) windowEndNs = sim.now;

  const handoffsByClass = emptyCountsByDistance();
  if (lock.stats !== null) {
    for (const key of Object.keys(handoffsByClass) as (keyof CountsByDistance)[]) handoffsByClass[key] = lock.stats.handoffsByClass[key] - handoffsAtStart[key];
  }
  const acquisitions = samples.latency.length;
  const measuredNs = 'durationNs' in stop ? stop.durationNs - warmupNs : windowEndNs - windowStartNs;
  const windowNs = Math.max(0, sim.now - windowStartNs);
  const share = (area: number): number => (windowNs > 0 ? area / windowNs : 0);
  const sortedLatency = Float64Array.from(samples.latency).sort();
  const sortedWait = Float64Array.from(samples.wait).sort();
  const throughputPerNs = measuredNs > 0 ? acquisitions / measuredNs : 0;
  const mean = (sum: number, count: number): number => (count === 0 ? 0 : sum / count);
  const meanLatencyNs = acquisitions === 0 ? 0 : samples.latency.reduce((a, b) => a + b, 0) / acquisitions;
  const meanWaitNs = mean(samples.wait.reduce((a, b) => a + b, 0), acquisitions);
  const meanHoldNs = mean(samples.hold, acquisitions);
  const meanThink = mean(samples.think, acquisitions);
  let littleRatio: number;
  if (arrival.kind === 'closed') {
    const cycleNs = meanThink + meanLatencyNs;
    littleRatio = throughputPerNs * cycleNs > 0 ? threads / (throughputPerNs * cycleNs) : 0;
  } else {
    const inSystemMean = share(systemAreaNow() - systemAreaAtStart);
    littleRatio = throughputPerNs * meanLatencyNs > 0 ? inSystemMean / (throughputPerNs * meanLatencyNs) : 0;
  }
  const rcuStats = rcu?.stats;
  return {
    lock: options.lock,
    threads,
    cpus,
    acquisitions,
    reads: samples.reads,
    writes: acquisitions - samples.reads,
    measuredNs,
    throughputPerSec: throughputPerNs * 1e9,
    meanLatencyNs,
    p50LatencyNs: quantileOf(sortedLatency, 0.5),
    p99LatencyNs: quantileOf(sortedLatency, 0.99),
    meanWaitNs,
    waitQuantilesNs: { p50: quantileOf(sortedWait, 0.5), p90: quantileOf(sortedWait, 0.9), p99: quantileOf(sortedWait, 0.99), p999: quantileOf(sortedWait, 0.999) },
    meanReadWaitNs: mean(samples.readWait, samples.reads),
    meanWriteWaitNs: mean(samples.writeWait, acquisitions - samples.reads),
    meanHoldNs,
    meanThinkNs: meanThink,
    meanBacklogNs: mean(samples.backlog, acquisitions),
    perThreadAcquisitions: perThreadCount,
    perThreadMeanWaitNs: perThreadWait.map((sum, i) => mean(sum, perThreadCount[i])),
    lockUtilisation: share(heldAreaNow() - heldAreaAtStart),
    homeUtilisation: lock.line === null ? 0 : share(lock.line.stats.homeBusyNs - homeBusyAtStart),
    littleRatio,
    handoffsByClass,
    readRetries,
    gracePeriods: rcuStats?.gracePeriods ?? 0,
    meanGracePeriodNs: rcuStats?.meanGpNs ?? 0,
  };
}
