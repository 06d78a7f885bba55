/**
 * One node during a container-launch storm: the machine (topology, CPUs and
 * their scheduler), the kernel's global mount locks, the mount tables, the
 * background software that reads them, and the interpreter that runs recipe
 * steps as a thread on a CPU.
 *
 * Models emit observations and keep counters; nothing here formats, prints
 * or writes files.
 */
import { Deque, SimEvent, type ProcessBody, type RandomStream, type Simulation } from '../engine/index.js';
import type { Topology } from '../topology/topology.js';
import { CpuState } from '../coherence/cpu-state.js';
import { ExpeditedRcu, RwSemaphore, SeqLock, type KernelContext } from '../kernel/index.js';
import { CpuScheduler } from '../machine/scheduler.js';
import type { LaunchModels } from './load-models.js';
import { evaluateCount, type CountExpression, type CountVariable, type HoldCost, type Procedure, type Step } from './recipe.js';
import { CATEGORY, CATEGORY_COUNT, TimeMatrix } from './accounting.js';
import type { MechanismSwitches } from './mechanisms.js';

/** A thread of execution: a container's runtime work, systemd, kubelet. */
export class KernelThread {
  /** CPU the thread runs on, -1 while off CPU. */
  cpu = -1;
  /** ns per time category. */
  readonly timeNs = new Float64Array(CATEGORY_COUNT);
  mountOps = 0;
  syscalls = 0;
  /** Index into the world's procedure list of the syscall being executed (0: none). */
  procedure = 0;
  pass = 0;
  /** End of the thread's latest timed wait: a sleep off CPU, a CPU step or a critical section (0: none yet). */
  awakeAtNs = 0;
  /** Set by the rwsem sleep hook: the thread gave its CPU up inside a lock wait. */
  sleptInLock = false;
  /** Semaphores this thread holds for write: their spinners watch whether it runs. */
  readonly writeHeldSems: RwSemaphore[] = [];
  /** Whether this thread's host mounts propagate to receivers (false for private mounts). */
  propagates = true;
  /** Calls per syscall name. */
  readonly syscallCounts = new Map<string, number>();

  constructor(
    readonly id: number,
    readonly name: string,
    /** Image layers of this launch (0 for non-launch threads). */
    readonly layers: number,
    /** CPU the placement policy would like it on. */
    readonly preferredCpu: number,
  ) {}
}

export interface LaunchWorldOptions {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly models: LaunchModels;
  readonly mechanisms: MechanismSwitches;
}

/** Samples of the mount tables over time (for the report's mount-table chart). */
export interface MountTableSample {
  readonly timeNs: number;
  readonly hostMounts: number;
  readonly systemMounts: number;
  readonly receivers: number;
}

/** What the background readers did. */
export class BackgroundStats {
  systemdParses = 0;
  systemdMaxParseNs = 0;
  systemdBusyNs = 0;
  kubeletReads = 0;
  mountinfoLines = 0;
  prependPathRetries = 0;
  backgroundSpinners = 0;
  backgroundSpinNs = 0;
  /** CPU time of other processes' path lookups over the run (not spinning). */
  backgroundWalkNs = 0;
  healthChecks = 0;
  healthCheckFailures = 0;
  healthCheckMaxNs = 0;
  /** Critical sections that ran stretched because an SMT sibling of the holder was busy, and all sections. */
  stretchedSections = 0;
  sections = 0;
  /** On-CPU time of the background readers (systemd, kubelet) per category. */
  readonly readerTimeNs = new Float64Array(CATEGORY_COUNT);
}

const LINES_PARAMETER = 'mountinfo_lines_per_read';

export class LaunchWorld {
  readonly sim: Simulation;
  readonly topology: Topology;
  readonly models: LaunchModels;
  readonly mechanisms: MechanismSwitches;
  readonly cpuState: CpuState;
  readonly scheduler: CpuScheduler;
  readonly context: KernelContext;
  readonly seqlocks = new Map<string, SeqLock>();
  readonly rwsems = new Map<string, RwSemaphore>();
  /** The seqlock path_init reads: the first seqlock the kernel model declares (mount_lock). */
  readonly walkLock: SeqLock;
  readonly rcu: ExpeditedRcu;
  readonly background = new BackgroundStats();
  readonly time: TimeMatrix;
  readonly mountTableSamples: MountTableSample[] = [];

  hostMounts: number;
  systemMounts: number;
  /** Containers between runc's unshare and the detach of their old root. */
  windowCount = 0;
  maxWindowCount = 0;
  maxReceivers = 0;
  maxHostMounts: number;
  maxSystemMounts: number;
  mountEvents = 0;
  /** Simulated time the interpreter last ran a step of any launch (to tell a frozen model from a slow one). */
  lastStepNs = 0;

  private readonly procedureIndex = new Map<Procedure, number>();
  private readonly passIndex = new Map<string, number>();
  private readonly threadOnCpu: (KernelThread | null)[];
  private readonly perCpuSumNs: Float64Array;
  private readonly walkNs: number;
  get walkTimeNs(): number {
    return this.walkNs;
  }
  private readonly syscallUserNs: number;
  private readonly prependPathWindowNs: number;
  private readonly mountinfoLineNs: number;
  private readonly linesPerRead: number;
  private readonly backgroundWalksPerNs: number;
  private readonly walkerStream: RandomStream;
  private readonly mountEventSignal: SimEvent[] = [];
  private systemdPending = false;
  private systemdParsing = false;
  private readonly systemdIdleWaiters = new Deque<SimEvent>();
  private threadIds = 0;
  /** Background path walks per online CPU per ns (0 with the mechanism off). */
  private readonly backgroundWalksPerCpuPerNs: number;
  /** Online SMT siblings of each CPU (where background walkers can spin next to a holder). */
  private readonly onlineSiblings: Int32Array;
  /** Per fan-out unit: its share of the online CPUs and its re-read cost at the home. */
  private readonly unitCpuShare: Float64Array;
  private readonly unitReadNs: Float64Array;
  /** expectedFanOutNs[k]: home time of the re-reads when k walkers spin (all units). */
  private readonly expectedFanOutNs: Float64Array;
  /** unitHit[u * (cpus + 1) + k]: chance that unit u holds one of k walkers, 1 - (1 - share_u)^k. */
  private readonly unitHit: Float64Array;
  private readonly countScratch: Record<CountVariable, number> = { layers: 0, receivers: 0, hostMounts: 0 };

  constructor(options: LaunchWorldOptions) {
    const { sim, topology, models, mechanisms } = options;
    this.sim = sim;
    this.topology = topology;
    this.models = models;
    this.mechanisms = mechanisms;
    const parameter = (name: string, fallback?: number): number => {
      const value = models.kernel.parameters.get(name)?.value ?? models.node.parameters.get(name)?.value ?? fallback;
      if (value === undefined) throw new Error(`kernel model ${models.kernel.file} lacks the parameter \`${name}\``);
      return value;
    };
    this.cpuState = new CpuState(topology);
    this.scheduler = new CpuScheduler(sim, topology, { contextSwitchNs: models.node.environment.contextSwitchNs });
    this.scheduler.onBusyChange = (cpu, busy) => this.cpuState.setBusy(cpu, busy);
    this.scheduler.onNeedResched = () => this.preemptOneSpinner();
    let maxCpu = 0;
    for (const cpu of topology.possibleCpus) maxCpu = Math.max(maxCpu, cpu.id);
    for (const cpu of topology.cpus) maxCpu = Math.max(maxCpu, cpu.id);
    this.threadOnCpu = new Array<KernelThread | null>(maxCpu + 1).fill(null);
    this.context = {
      sim,
      topology,
      cpuState: this.cpuState,
      onSleep: (cpu: number) => this.onLockSleep(cpu),
    };
    const homeNode = topology.globalsHomeNode;
    for (const lock of models.kernel.locks) {
      if (lock.kind === 'seqlock') this.seqlocks.set(lock.name, new SeqLock(this.context, lock.name, { homeNode }));
      else {
        this.rwsems.set(
          lock.name,
          new RwSemaphore(this.context, lock.name, {
            wakeupNs: parameter('rwsem_wakeup'),
            // Writers spin while the owner is a running writer, until need_resched() (preemptOneSpinner).
            maxSpinNs: Infinity,
            handoffTimeoutNs: parameter('rwsem_handoff_after'),
            homeNode,
          }),
        );
      }
    }
    const firstSeqlock = [...this.seqlocks.values()][0];
    if (firstSeqlock === undefined) throw new Error(`kernel model ${models.kernel.file} declares no seqlock for path_init to read`);
    this.walkLock = firstSeqlock;
    this.rcu = new ExpeditedRcu(this.context, 'rcu', { baseNs: parameter('rcu_gp_base'), perCpuNs: parameter('rcu_gp_per_cpu') });

    // for_each_possible_cpu sums: one per-CPU line read per possible CPU, remote sockets dearer.
    this.perCpuSumNs = new Float64Array(maxCpu + 1);
    for (const reader of topology.cpus) {
      let sum = 0;
      for (const owner of topology.possibleCpus) sum += topology.perCpuReadNs(reader.id, owner.id);
      this.perCpuSumNs[reader.id] = sum;
    }
    this.walkNs = parameter('path_walk');
    this.syscallUserNs = parameter('syscall_user', 0);
    this.prependPathWindowNs = parameter('prepend_path_window');
    this.mountinfoLineNs = parameter('mountinfo_line');
    this.linesPerRead = Math.max(1, Math.round(parameter(LINES_PARAMETER)));
    const env = models.node.environment;
    this.backgroundWalksPerNs = mechanisms.spinnerFanOut ? (env.pathWalksPerCpuPerSecond * topology.cpus.length) / 1e9 : 0;
    this.backgroundWalksPerCpuPerNs = mechanisms.spinnerFanOut ? env.pathWalksPerCpuPerSecond / 1e9 : 0;
    const online = new Set(topology.cpus.map((c) => c.id));
    this.onlineSiblings = new Int32Array(maxCpu + 1);
    for (const c of topology.cpus) this.onlineSiblings[c.id] = topology.siblings(c.id).filter((id) => online.has(id)).length;
    this.walkerStream = sim.random.stream('background/path-walkers');
    let maxUnit = 0;
    for (const cpu of topology.cpus) maxUnit = Math.max(maxUnit, topology.fanOutUnit(cpu.id));
    this.unitCpuShare = new Float64Array(maxUnit + 1);
    this.unitReadNs = new Float64Array(maxUnit + 1);
    for (const cpu of topology.cpus) {
      const unit = topology.fanOutUnit(cpu.id);
      this.unitCpuShare[unit] += 1 / topology.cpus.length;
      this.unitReadNs[unit] = topology.fanOutReadNs(unit, this.walkLock.line.homeNode);
    }
    const counts = topology.cpus.length + 1;
    this.unitHit = new Float64Array((maxUnit + 1) * counts);
    for (let unit = 0; unit <= maxUnit; unit++) {
      const share = this.unitCpuShare[unit];
      if (share > 0) for (let k = 1; k < counts; k++) this.unitHit[unit * counts + k] = 1 - Math.pow(1 - share, k);
    }
    this.expectedFanOutNs = new Float64Array(counts);
    for (let k = 1; k < counts; k++) {
      let total = 0;
      for (let unit = 0; unit <= maxUnit; unit++) {
        if (this.unitCpuShare[unit] > 0) total += this.unitHit[unit * counts + k] * this.unitReadNs[unit];
      }
      this.expectedFanOutNs[k] = total;
    }
    this.hostMounts = env.baselineHostMounts;
    this.maxHostMounts = this.hostMounts;
    this.systemMounts = env.baselineHostMounts * (1 + this.serviceReceivers());
    this.maxSystemMounts = this.systemMounts;

    const procedures = new Set<Procedure>();
    const collect = (steps: readonly Step[]): void => {
      for (const step of steps) {
        if (step.kind === 'call') {
          if (!procedures.has(step.procedure)) {
            procedures.add(step.procedure);
            collect(step.procedure.steps);
          }
        } else if (step.kind === 'lock' || step.kind === 'repeat') collect(step.steps);
      }
    };
    for (const pass of models.runtime.passes) collect(pass.steps);
    const names = ['(user space)'];
    for (const procedure of procedures) {
      if (!procedure.isSyscall) continue;
      this.procedureIndex.set(procedure, names.length);
      names.push(procedure.name);
    }
    const mountinfoIndex = names.length;
    names.push('read /proc/self/mountinfo');
    this.procedureIndex.set(MOUNTINFO_PROCEDURE, mountinfoIndex);
    const passNames = [...models.runtime.passes.map((p) => p.name), 'other launch work', 'systemd', 'kubelet'];
    passNames.forEach((name, index) => this.passIndex.set(name, index));
    this.time = new TimeMatrix(passNames, names);
  }

  newThread(name: string, layers: number, preferredCpu: number): KernelThread {
    return new KernelThread(this.threadIds++, name, layers, preferredCpu);
  }

  passNumber(name: string): number {
    return this.passIndex.get(name) ?? 0;
  }

  /** Receivers of a propagated host mount now: sandboxed services + containers in their setup window. */
  receivers(thread: KernelThread): number {
    if (!this.mechanisms.propagation || !thread.propagates) return 0;
    return this.serviceReceivers() + this.windowCount;
  }

  private serviceReceivers(): number {
    return this.mechanisms.propagation ? this.models.node.environment.sandboxedServices : 0;
  }

  // ---- time accounting -------------------------------------------------

  account(thread: KernelThread, category: number, ns: number): void {
    if (ns <= 0) return;
    thread.timeNs[category] += ns;
    if (thread.layers === 0) this.background.readerTimeNs[category] += ns;
    this.time.add(thread.pass, thread.procedure, category, ns);
  }

  // ---- CPUs --------------------------------------------------------------

  *runOnCpu(thread: KernelThread): ProcessBody {
    if (thread.cpu >= 0) return;
    const startNs = this.sim.now;
    const cpu = yield* this.scheduler.acquire(thread.id, thread.cpu >= 0 ? thread.cpu : thread.preferredCpu);
    this.account(thread, CATEGORY['run queue'], this.sim.now - startNs);
    thread.cpu = cpu;
    this.threadOnCpu[cpu] = thread;
    this.cpuState.setBusy(cpu, true);
    for (const sem of thread.writeHeldSems) sem.setOwnerRunning(true);
  }

  leaveCpu(thread: KernelThread): void {
    if (thread.cpu < 0) return;
    const cpu = thread.cpu;
    this.threadOnCpu[cpu] = null;
    thread.cpu = -1;
    this.scheduler.release(cpu);
    for (const sem of thread.writeHeldSems) sem.setOwnerRunning(false);
  }

  /**
   * A thread waits for a CPU: the newest optimistic spinner on a sleeping
   * lock yields its CPU (spinners in spin_lock or path_init run with
   * preemption disabled or in a loop without cond_resched, so they keep theirs).
   */
  private preemptOneSpinner(): void {
    for (const sem of this.rwsems.values()) {
      const spinning = sem.spinningCpus;
      if (spinning.length > 0 && sem.preemptSpinner(spinning[spinning.length - 1])) return;
    }
  }

  /** The rwsem put the thread on `cpu` to sleep: the CPU is free for others until it is granted. */
  private onLockSleep(cpu: number): void {
    const thread = this.threadOnCpu[cpu];
    if (thread === null || thread === undefined) return;
    thread.sleptInLock = true;
    this.leaveCpu(thread);
  }

  // ---- the interpreter ----------------------------------------------------

  private countValues(thread: KernelThread): Record<CountVariable, number> {
    const values = this.countScratch;
    values.layers = thread.layers;
    values.receivers = this.receivers(thread);
    values.hostMounts = this.mechanisms.runcNamespaceCopy ? this.hostMounts : 0;
    return values;
  }

  count(expression: CountExpression, thread: KernelThread): number {
    return evaluateCount(expression, this.countValues(thread));
  }

  /** Length of a critical section before SMT stretch. */
  holdNs(hold: HoldCost, thread: KernelThread): number {
    let ns = hold.baseNs;
    const sum = this.mechanisms.perCpuSums ? this.perCpuSumNs[thread.cpu] : 0;
    if (hold.perCpuSum) ns += sum;
    if (hold.perReceiverNs > 0 || hold.perReceiverCpuSum) {
      const receivers = this.receivers(thread);
      ns += receivers * (hold.perReceiverNs + (hold.perReceiverCpuSum ? sum : 0));
    }
    if (hold.perHostMountNs > 0 && this.mechanisms.runcNamespaceCopy) ns += this.hostMounts * hold.perHostMountNs;
    return ns;
  }

  /**
   * Runs a step tree as `thread`. Iterative over an explicit frame stack
   * rather than recursive generators: every resume of a process passes
   * through each delegating generator, so a recursion as deep as the recipe
   * (pass, procedure, syscall, repeat, lock) would cost that depth per event.
   */
  *runSteps(thread: KernelThread, steps: readonly Step[], scale: number): ProcessBody {
    const stack: Frame[] = [plainFrame(steps, scale)];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.index >= frame.steps.length) {
        if (frame.kind === FRAME_REPEAT && frame.remaining > 0) {
          frame.remaining--;
          frame.index = 0;
          continue;
        }
        stack.pop();
        if (frame.kind === FRAME_LOCK) this.releaseLock(thread, frame.lock!);
        else if (frame.kind === FRAME_SYSCALL) {
          // Back in user space: containerd's own work, and the CPU goes to a waiting thread if any.
          thread.procedure = 0;
          if (this.syscallUserNs > 0) {
            if (thread.cpu < 0) yield* this.runOnCpu(thread);
            yield this.sim.timeout(this.syscallUserNs);
            this.account(thread, CATEGORY['user work'], this.syscallUserNs);
          }
          if (thread.cpu >= 0 && this.scheduler.runnableWaiting > 0) {
            this.leaveCpu(thread);
            yield* this.runOnCpu(thread);
          }
        }
        continue;
      }
      const step = frame.steps[frame.index++];
      const stepScale = frame.scale;
      this.lastStepNs = this.sim.now;
      switch (step.kind) {
        case 'walk': {
          const walks = this.count(step.count, thread);
          for (let w = 0; w < walks; w++) yield* this.walk(thread, stepScale);
          break;
        }
        case 'cpu': {
          const ns = step.ns * stepScale;
          if (ns <= 0) break;
          if (thread.cpu < 0) yield* this.runOnCpu(thread);
          thread.awakeAtNs = this.sim.now + ns;
          yield this.sim.timeout(ns);
          this.account(thread, thread.procedure === 0 ? CATEGORY['user work'] : CATEGORY['kernel work'], ns);
          break;
        }
        case 'sleep':
          yield* this.sleepOffCpu(thread, step.ns * stepScale, CATEGORY['off-cpu launch work']);
          break;
        case 'lock': {
          if (thread.cpu < 0) yield* this.runOnCpu(thread);
          // The uncontended mount_lock write takes no process step; anything else waits in its lock.
          const held = this.lockNowIfFree(thread, step) ?? (yield* this.waitForLock(thread, step));
          const sectionNs = this.startSection(thread, held, stepScale);
          if (sectionNs > 0) {
            thread.awakeAtNs = this.sim.now + sectionNs;
            yield this.sim.timeout(sectionNs);
            this.account(thread, held.spinCategory, held.transferNs);
            this.account(thread, held.sectionCategory, held.holdNs);
          }
          if (step.steps.length === 0) this.releaseLock(thread, held);
          else stack.push({ kind: FRAME_LOCK, steps: step.steps, index: 0, scale: stepScale, remaining: 0, lock: held });
          break;
        }
        case 'rcu':
          yield* this.gracePeriod(thread);
          break;
        case 'repeat': {
          const total = this.count(step.count, thread);
          if (total === 0) break;
          // A long loop runs as `batch` iterations, each standing for total/batch of them:
          // the same lock hold time with fewer releases (under-counts handoffs, on purpose).
          const iterations = Math.min(total, step.batch);
          stack.push({ kind: FRAME_REPEAT, steps: step.steps, index: 0, scale: (stepScale * total) / iterations, remaining: iterations - 1, lock: null });
          break;
        }
        case 'call': {
          if (step.countsAsMountOp) thread.mountOps++;
          const procedure = step.procedure;
          if (!procedure.isSyscall || thread.procedure !== 0) {
            stack.push(plainFrame(procedure.steps, stepScale));
            break;
          }
          if (thread.cpu < 0) yield* this.runOnCpu(thread);
          thread.syscalls++;
          thread.syscallCounts.set(procedure.name, (thread.syscallCounts.get(procedure.name) ?? 0) + 1);
          thread.procedure = this.procedureIndex.get(procedure) ?? 0;
          stack.push({ kind: FRAME_SYSCALL, steps: procedure.steps, index: 0, scale: stepScale, remaining: 0, lock: null });
          break;
        }
        case 'mounts':
          this.changeHostMounts(thread, step.delta);
          break;
        case 'window':
          this.windowCount += step.enter ? 1 : -1;
          if (this.windowCount > this.maxWindowCount) this.maxWindowCount = this.windowCount;
          break;
      }
    }
  }

  *work(thread: KernelThread, ns: number, category: number): ProcessBody {
    if (ns <= 0) return;
    yield* this.runOnCpu(thread);
    yield this.sim.timeout(ns);
    this.account(thread, category, ns);
  }

  *sleepOffCpu(thread: KernelThread, ns: number, category: number): ProcessBody {
    this.leaveCpu(thread);
    if (ns <= 0) return;
    thread.awakeAtNs = this.sim.now + ns;
    yield this.sim.timeout(ns);
    this.account(thread, category, ns);
  }

  /** One path lookup: path_init reads mount_lock's count (spinning while odd, inside rcu_read_lock), walks, and retries in ref-walk mode if a write moved the count. */
  *walk(thread: KernelThread, scale: number): ProcessBody {
    if (thread.cpu < 0) yield* this.runOnCpu(thread);
    const cpu = thread.cpu;
    const lock = this.walkLock;
    const holdsGracePeriod = this.mechanisms.rcuHeldOpen;
    if (holdsGracePeriod) this.rcu.enterReadSide(cpu);
    let startNs = this.sim.now;
    let sequence = lock.readBeginNowIfEven(cpu);
    if (sequence < 0) {
      sequence = yield* lock.readBegin(cpu);
      this.account(thread, CATEGORY['spin:path_init'], this.sim.now - startNs);
    }
    const walkNs = this.walkNs * scale;
    yield this.sim.timeout(walkNs);
    this.account(thread, CATEGORY.walk, walkNs);
    if (holdsGracePeriod) this.rcu.exitReadSide(cpu);
    if (lock.readRetry(sequence)) {
      // -ECHILD: filename_lookup reruns the whole lookup in ref-walk mode, outside RCU.
      startNs = this.sim.now;
      if (lock.readBeginNowIfEven(cpu) < 0) {
        yield* lock.readBegin(cpu);
        this.account(thread, CATEGORY['spin:path_init'], this.sim.now - startNs);
      }
      yield this.sim.timeout(walkNs);
      this.account(thread, CATEGORY.walk, walkNs);
    }
  }

  /**
   * write_seqlock() on a free mount_lock, without a process step: the line
   * transfer is folded into the section's timer. Null if the step needs
   * anything else (a wait, an exclusive read, a semaphore).
   */
  private lockNowIfFree(thread: KernelThread, step: LockStep): HeldLock | null {
    if (step.lockKind !== 'seqlock' || step.mode !== 'write') return null;
    const lock = this.seqlocks.get(step.lock)!;
    if (lock.spinlock.isLocked) return null;
    const cpu = thread.cpu;
    // spin_lock disables preemption: a waiter or holder is an RCU read-side holdout for an expedited GP.
    if (this.mechanisms.rcuHeldOpen) this.rcu.enterReadSide(cpu);
    const transferNs = lock.writeLockNowIfFree(cpu);
    return new HeldLock(step, cpu, lock, null, transferNs);
  }

  /** Waits until the thread holds the lock of a `lock` step (spinning or asleep, as the lock decides). */
  private *waitForLock(thread: KernelThread, step: LockStep): ProcessBody<HeldLock> {
    if (step.lockKind === 'seqlock') {
      const cpu = thread.cpu;
      const lock = this.seqlocks.get(step.lock)!;
      if (this.mechanisms.rcuHeldOpen) this.rcu.enterReadSide(cpu);
      const requestedNs = this.sim.now;
      if (step.mode === 'write') yield* lock.writeLock(cpu);
      else yield* lock.lockExclusive(cpu);
      this.account(thread, CATEGORY['spin:mount_lock'], this.sim.now - requestedNs);
      return new HeldLock(step, cpu, lock, null, 0);
    }
    const lockCpu = thread.cpu;
    const sem = this.rwsems.get(step.lock)!;
    const requestedNs = this.sim.now;
    const sleepBefore = sem.stats.sleepNs;
    thread.sleptInLock = false;
    if (step.mode === 'write') yield* sem.downWrite(lockCpu);
    else yield* sem.downRead(lockCpu);
    const waitedNs = this.sim.now - requestedNs;
    if (thread.sleptInLock) {
      const sleptNs = Math.min(waitedNs, sem.stats.sleepNs - sleepBefore);
      this.account(thread, CATEGORY['sleep:namespace_sem'], sleptNs);
      this.account(thread, CATEGORY['spin:namespace_sem'], waitedNs - sleptNs);
      // Granted while asleep: the owner must be scheduled again before it can run its section.
      thread.sleptInLock = false;
      yield* this.runOnCpu(thread);
      if (thread.cpu !== lockCpu) this.cpuState.setBusy(lockCpu, this.scheduler.isBusy(lockCpu));
    } else {
      this.account(thread, CATEGORY['spin:namespace_sem'], waitedNs);
    }
    if (step.mode === 'write') {
      thread.writeHeldSems.push(sem);
      sem.setOwnerRunning(true);
    }
    return new HeldLock(step, lockCpu, null, sem, 0);
  }

  /**
   * The critical section of a lock just taken: its length (SMT stretch
   * included) and, for a mount_lock write, the background walkers it
   * gathers. Returns the time the thread spends before nested steps run:
   * any line transfer still due plus the section.
   */
  private startSection(thread: KernelThread, held: HeldLock, scale: number): number {
    const step = held.step;
    const baseHoldNs = this.holdNs(step.hold, thread) * scale;
    if (held.seqlock === null) {
      held.holdNs = baseHoldNs > 0 ? this.cpuState.stretchNs(thread.cpu, baseHoldNs) : 0;
      return held.holdNs;
    }
    const cpu = held.cpu;
    let holdNs = this.cpuState.stretchNs(cpu, baseHoldNs);
    if (holdNs === baseHoldNs && step.mode === 'write') holdNs = baseHoldNs * this.walkerSiblingStretch(cpu, baseHoldNs);
    this.background.sections++;
    if (holdNs > baseHoldNs) this.background.stretchedSections++;
    held.walkersFanOutNs = step.mode === 'write' ? this.backgroundWalkersDuring(cpu, holdNs) : 0;
    held.holdNs = holdNs;
    return holdNs + held.transferNs;
  }

  private releaseLock(thread: KernelThread, held: HeldLock): void {
    const { step, cpu } = held;
    if (held.seqlock !== null) {
      if (step.mode === 'write') {
        // The background walkers' re-reads occupy the home before the next transfer.
        if (held.walkersFanOutNs > 0) held.seqlock.line.occupyHome(held.walkersFanOutNs);
        held.seqlock.writeUnlock(cpu);
      } else held.seqlock.unlockExclusive(cpu);
      if (this.mechanisms.rcuHeldOpen) this.rcu.exitReadSide(cpu);
      return;
    }
    if (step.mode === 'write') {
      const sems = thread.writeHeldSems;
      sems.splice(sems.lastIndexOf(held.sem!), 1);
      held.sem!.upWrite(cpu);
    } else held.sem!.upRead(cpu);
  }

  *gracePeriod(thread: KernelThread): ProcessBody {
    const cpu = thread.cpu >= 0 ? thread.cpu : thread.preferredCpu;
    this.leaveCpu(thread);
    const startNs = this.sim.now;
    yield* this.rcu.synchronizeExpedited(cpu);
    this.account(thread, CATEGORY['rcu grace period'], this.sim.now - startNs);
    // synchronizeExpedited marks its CPU busy on return; the scheduler decides where the thread runs.
    this.cpuState.setBusy(cpu, this.scheduler.isBusy(cpu));
  }

  // ---- mechanism 4: background path walkers ----------------------------------------

  /**
   * The holder's SMT siblings are idle as far as the launch threads go, but
   * other processes' path walks land on them at the background rate, and one
   * that lands during this write section spins there until it ends. With
   * arrivals at rate lambda on the siblings, the sibling is busy for the
   * expected fraction f = 1 - (1 - e^-x) / x of a section of length h
   * (x = lambda h), and the section stretches by the spinning-sibling SMT
   * slowdown over that fraction. Taken in expectation rather than drawn.
   */
  private walkerSiblingStretch(cpu: number, holdNs: number): number {
    const siblings = this.onlineSiblings[cpu];
    if (this.backgroundWalksPerCpuPerNs === 0 || siblings === 0 || holdNs <= 0) return 1;
    const x = this.backgroundWalksPerCpuPerNs * siblings * holdNs;
    const busyFraction = x < 1e-6 ? x / 2 : 1 - (1 - Math.exp(-x)) / x;
    return 1 + (this.topology.smtSpinSlowdown - 1) * busyFraction;
  }

  /**
   * Path walks of other processes that arrive during a write section of
   * `holdNs` spin on mount_lock's line until it ends. Their number is
   * Poisson; where they land is taken in expectation: with k walkers on
   * uniformly chosen CPUs, fan-out unit u holds one with probability
   * 1 - (1 - p_u)^k, and each unit that does re-reads once through the home
   * (the writer's own unit is served locally). Returns that home time. The
   * walkers hold an expedited grace period open until the section ends
   * (one representative CPU in a read-side section expresses that).
   */
  private backgroundWalkersDuring(writerCpu: number, holdNs: number): number {
    if (this.backgroundWalksPerNs === 0 || holdNs <= 0) return 0;
    const count = Math.min(poisson(this.walkerStream, this.backgroundWalksPerNs * holdNs), this.topology.cpus.length);
    if (count === 0) return 0;
    const writerUnit = this.topology.fanOutUnit(writerCpu);
    const writerHit = this.unitHit[writerUnit * (this.topology.cpus.length + 1) + count];
    const fanOutNs = this.expectedFanOutNs[count] - writerHit * this.unitReadNs[writerUnit];
    this.background.backgroundSpinners += count;
    // Arrivals are uniform over the section: each walker spins half of it on average.
    this.background.backgroundSpinNs += (count * holdNs) / 2;
    if (this.mechanisms.rcuHeldOpen) this.rcu.holdOpenUntil(this.sim.now + holdNs);
    return fanOutNs;
  }

  // ---- mount tables and their readers ------------------------------------------

  private changeHostMounts(thread: KernelThread, delta: number): void {
    this.hostMounts += delta;
    this.systemMounts += delta * (1 + this.receivers(thread));
    if (this.hostMounts > this.maxHostMounts) this.maxHostMounts = this.hostMounts;
    if (this.systemMounts > this.maxSystemMounts) this.maxSystemMounts = this.systemMounts;
    const receivers = this.receivers(thread);
    if (receivers > this.maxReceivers) this.maxReceivers = receivers;
    this.mountEvents++;
    // touch_mnt_namespace wakes /proc/<pid>/mountinfo pollers: systemd's mount event source.
    this.systemdPending = true;
    const waiting = this.mountEventSignal.pop();
    if (waiting !== undefined) waiting.succeed();
  }

  sampleMountTables(): void {
    this.mountTableSamples.push({ timeNs: this.sim.now, hostMounts: this.hostMounts, systemMounts: this.systemMounts, receivers: this.serviceReceivers() + this.windowCount });
  }

  /**
   * One full read of /proc/self/mountinfo: per read() chunk, namespace_sem
   * for read (m_start); per line, prepend_path's lockless window, retried
   * under mount_lock's spinlock when a write moved the count during it; then
   * the reader's own parse of the chunk.
   */
  *readMountinfo(thread: KernelThread, userPerLineNs: number): ProcessBody<number> {
    const startNs = this.sim.now;
    const lock = this.walkLock;
    const sem = [...this.rwsems.values()][0];
    const lines = this.hostMounts;
    this.background.mountinfoLines += lines;
    const previous = thread.procedure;
    for (let done = 0; done < lines; done += this.linesPerRead) {
      const chunk = Math.min(this.linesPerRead, lines - done);
      yield* this.runOnCpu(thread);
      thread.procedure = this.procedureIndex.get(MOUNTINFO_PROCEDURE)!;
      const lockCpu = thread.cpu;
      if (sem !== undefined) {
        const requested = this.sim.now;
        thread.sleptInLock = false;
        yield* sem.downRead(lockCpu);
        this.account(thread, thread.sleptInLock ? CATEGORY['sleep:namespace_sem'] : CATEGORY['spin:namespace_sem'], this.sim.now - requested);
        if (thread.sleptInLock) {
          thread.sleptInLock = false;
          yield* this.runOnCpu(thread);
        }
      }
      const spinStart = this.sim.now;
      const sequence = yield* lock.readBegin(thread.cpu);
      this.account(thread, CATEGORY['spin:path_init'], this.sim.now - spinStart);
      const kernelNs = chunk * this.mountinfoLineNs;
      yield this.sim.timeout(kernelNs);
      this.account(thread, CATEGORY['kernel work'], kernelNs);
      // Each write section that began during the chunk caught at most one line inside its
      // prepend_path window; that line retries holding mount_lock (read_seqbegin_or_lock).
      const writes = Math.ceil((lock.sequence - sequence) / 2);
      const retries = this.mechanisms.mountinfoReaders ? Math.min(chunk, writes) : 0;
      // Each retried line takes the spinlock on its own and queues behind the writers every time:
      // this per-line queue wait is what makes a read of a large table slow under churn.
      this.background.prependPathRetries += retries;
      for (let r = 0; r < retries; r++) {
        const requested = this.sim.now;
        yield* lock.lockExclusive(thread.cpu);
        this.account(thread, CATEGORY['spin:mount_lock'], this.sim.now - requested);
        const holdNs = this.cpuState.stretchNs(thread.cpu, this.prependPathWindowNs);
        yield this.sim.timeout(holdNs);
        this.account(thread, CATEGORY['cs:mount_lock'], holdNs);
        lock.unlockExclusive(thread.cpu);
      }
      if (sem !== undefined) sem.upRead(lockCpu);
      thread.procedure = previous;
      const parseNs = chunk * userPerLineNs;
      if (parseNs > 0) yield* this.work(thread, parseNs, CATEGORY['user work']);
    }
    this.leaveCpu(thread);
    return this.sim.now - startNs;
  }

  /**
   * systemd's mount event source: after mount events it re-parses the whole
   * table, at most `rateLimitBurst` times per `rateLimitInterval`
   * (sd_event_source_set_ratelimit; the source is disabled for the rest of
   * the window once the burst is used).
   */
  *systemdLoop(): ProcessBody {
    const systemd = this.models.node.environment.systemd;
    const thread = this.newThread('systemd', 0, 0);
    thread.pass = this.passNumber('systemd');
    let windowStartNs = 0;
    let dispatchesInWindow = 0;
    for (;;) {
      if (!this.systemdPending) {
        const signal = this.sim.event();
        this.mountEventSignal.push(signal);
        yield signal;
      }
      if (this.sim.now - windowStartNs >= systemd.rateLimitIntervalNs) {
        windowStartNs = this.sim.now;
        dispatchesInWindow = 0;
      }
      if (dispatchesInWindow >= systemd.rateLimitBurst) {
        const waitNs = windowStartNs + systemd.rateLimitIntervalNs - this.sim.now;
        yield this.sim.timeout(waitNs);
        windowStartNs = this.sim.now;
        dispatchesInWindow = 0;
      }
      dispatchesInWindow++;
      this.systemdPending = false;
      this.systemdParsing = true;
      const parseNs = yield* this.readMountinfo(thread, systemd.parsePerLineNs);
      this.systemdParsing = false;
      this.background.systemdParses++;
      this.background.systemdBusyNs += parseNs;
      if (parseNs > this.background.systemdMaxParseNs) this.background.systemdMaxParseNs = parseNs;
      // D-Bus requests queued behind the parse are answered now.
      while (this.systemdIdleWaiters.length > 0) this.systemdIdleWaiters.shift()!.succeed();
    }
  }

  /** kubelet/cAdvisor re-reading the table for filesystem stats. */
  *kubeletLoop(parsePerLineNs: number): ProcessBody {
    const thread = this.newThread('kubelet', 0, 0);
    thread.pass = this.passNumber('kubelet');
    const everyNs = this.models.node.environment.kubelet.mountinfoEveryNs;
    for (;;) {
      yield this.sim.timeout(everyNs);
      yield* this.readMountinfo(thread, parsePerLineNs);
      this.background.kubeletReads++;
    }
  }

  /** Resolves when systemd is between parses (a D-Bus method call gets answered). */
  systemdIdle(): SimEvent | null {
    if (!this.systemdParsing) return null;
    const event = this.sim.event();
    this.systemdIdleWaiters.push(event);
    return event;
  }
}

type LockStep = Extract<Step, { kind: 'lock' }>;

/** A lock taken by a `lock` step, to be released after its nested steps. */
class HeldLock {
  /** The section's length once started (`startSection`), ns. */
  holdNs = 0;
  /** Home time of the background walkers' re-reads at the release (mount_lock writes). */
  walkersFanOutNs = 0;
  readonly spinCategory: number;
  readonly sectionCategory: number;

  constructor(
    readonly step: LockStep,
    /** The CPU the lock was taken on (its identity for release, even if the thread moved). */
    readonly cpu: number,
    readonly seqlock: SeqLock | null,
    readonly sem: RwSemaphore | null,
    /** Line transfer still to wait after an acquisition without a process step, ns. */
    readonly transferNs: number,
  ) {
    this.spinCategory = seqlock !== null ? CATEGORY['spin:mount_lock'] : CATEGORY['spin:namespace_sem'];
    this.sectionCategory = seqlock !== null ? CATEGORY['cs:mount_lock'] : CATEGORY['cs:namespace_sem'];
  }
}

const FRAME_STEPS = 0;
const FRAME_REPEAT = 1;
const FRAME_SYSCALL = 2;
const FRAME_LOCK = 3;

/** One level of the interpreter's stack: a step list being run, and what ends it. */
interface Frame {
  readonly kind: typeof FRAME_STEPS | typeof FRAME_REPEAT | typeof FRAME_SYSCALL | typeof FRAME_LOCK;
  readonly steps: readonly Step[];
  index: number;
  readonly scale: number;
  /** Iterations of a repeat still to run after this one. */
  remaining: number;
  readonly lock: HeldLock | null;
}

function plainFrame(steps: readonly Step[], scale: number): Frame {
  return { kind: FRAME_STEPS, steps, index: 0, scale, remaining: 0, lock: null };
}

/** The marker procedure that mountinfo reads are accounted to. */
const MOUNTINFO_PROCEDURE: Procedure = { name: 'read /proc/self/mountinfo', models: 'fs/proc_namespace.c show_mountinfo', isSyscall: true, steps: [] };

/** Poisson variate by inversion for small means, normal approximation (error < 2% in the tails that matter) above 15. */
export function poisson(stream: RandomStream, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 15) return Math.max(0, Math.round(stream.normal(mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let product = stream.next();
  while (product > limit) {
    k++;
    product *= stream.next();
  }
  return k;
}
