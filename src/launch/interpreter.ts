/**
 * The recipe interpreter: runs a tree of steps (models/types.ts) as a thread
 * on a CPU. A `walk` is a path lookup on the walk seqlock; a `lock` step
 * takes a lock, holds it for its section, runs its nested steps and releases
 * it; a `call` enters a procedure (a syscall switches the thread's time to
 * kernel categories); `rcu` waits for an expedited grace period off CPU.
 *
 * Iterative over an explicit frame stack rather than recursive generators:
 * every resume of a process passes through each delegating generator, so a
 * recursion as deep as the recipe (pass, procedure, syscall, repeat, lock)
 * would cost that depth per event.
 */
import type { ProcessBody, Simulation } from '../engine/index.js';
import type { RwSemaphore, SectionPlan, SeqLock } from '../kernel/index.js';
import { evaluateCount, type CountExpression, type CountVariable, type HoldCost, type Procedure, type Step } from '../models/types.js';
import type { LaunchWorld } from './world.js';
import type { KernelThread } from './thread.js';

type LockStep = Extract<Step, { kind: 'lock' }>;

/** One declared lock as the interpreter uses it: the lock and its time categories, found once per step by name. */
interface LockSlot {
  readonly seqlock: SeqLock | null;
  readonly sem: RwSemaphore | null;
  readonly spin: number;
  readonly section: number;
  /** Sleeping wait (rwsems), -1 for seqlocks. */
  readonly sleep: number;
}

/** A procedure with its flamegraph number. */
interface ProcedureSlot {
  readonly procedure: Procedure;
  readonly number: number;
}

/** A lock taken by a `lock` step, to be released after its nested steps. */
class HeldLock {
  /** The section's length once started (`startSection`), ns. */
  holdNs = 0;

  constructor(
    readonly step: LockStep,
    /** The CPU the lock was taken on (its identity for release, even if the thread moved). */
    readonly cpu: number,
    readonly slot: LockSlot,
    /** Line transfer still to wait after an acquisition without a process step, ns. */
    readonly transferNs: number,
  ) {}
}

/** A contended section's plan, settled at its grant; one per thread, reused. */
class SectionRequest implements SectionPlan {
  held: HeldLock | null = null;
  scale = 1;
  grantedNs = 0;

  constructor(
    private readonly interpreter: RecipeInterpreter,
    private readonly thread: KernelThread,
  ) {}

  sectionNs(grantedAtNs: number): number {
    this.grantedNs = grantedAtNs;
    const sectionNs = this.interpreter.startSection(this.thread, this.held!, this.scale, grantedAtNs);
    this.thread.awakeAtNs = grantedAtNs + sectionNs;
    return sectionNs;
  }
}

const FRAME_STEPS = 0;
const FRAME_REPEAT = 1;
const FRAME_SYSCALL = 2;
const FRAME_LOCK = 3;

type CallStep = Extract<Step, { kind: 'call' }>;

/** One level of the interpreter's stack: a step list being run, and what ends it. */
interface Frame {
  readonly kind: typeof FRAME_STEPS | typeof FRAME_REPEAT | typeof FRAME_SYSCALL | typeof FRAME_LOCK;
  readonly steps: readonly Step[];
  index: number;
  readonly scale: number;
  /** Iterations of a repeat still to run after this one. */
  remaining: number;
  readonly lock: HeldLock | null;
  /** The call that entered this procedure (an EBUSY return unwinds to it), null for other frames. */
  readonly call: CallStep | null;
  /** Calls of `call` so far (retries after EBUSY included). */
  readonly attempt: number;
}

function plainFrame(steps: readonly Step[], scale: number, call: CallStep | null = null, attempt = 1): Frame {
  return { kind: FRAME_STEPS, steps, index: 0, scale, remaining: 0, lock: null, call, attempt };
}

export class RecipeInterpreter {
  /** Simulated time the interpreter last ran a step of any thread (to tell a frozen model from a slow one). */
  lastStepNs = 0;
  private readonly sim: Simulation;
  private readonly procedures = new Map<string, ProcedureSlot>();
  private readonly locks = new Map<string, LockSlot>();
  private readonly walkNs: number;
  private readonly syscallUserNs: number;
  private readonly countScratch: Record<CountVariable, number> = { layers: 0, receivers: 0, hostMounts: 0 };

  constructor(private readonly world: LaunchWorld) {
    this.sim = world.sim;
    for (const [key, procedure] of Object.entries(world.models.procedures)) this.procedures.set(key, { procedure, number: world.procedureNumber(key) });
    this.walkNs = world.parameter('path_walk');
    this.syscallUserNs = world.parameter('syscall_user', 0);
    const categories = world.categories;
    for (const lock of world.models.kernel.locks) {
      const sem = world.locks.rwsems.get(lock.name) ?? null;
      this.locks.set(lock.name, {
        seqlock: world.locks.seqlocks.get(lock.name) ?? null,
        sem,
        spin: categories.spin(lock.name),
        section: categories.section(lock.name),
        sleep: sem === null ? -1 : categories.sleep(lock.name),
      });
    }
  }

  get walkTimeNs(): number {
    return this.walkNs;
  }

  private countValues(thread: KernelThread): Record<CountVariable, number> {
    const values = this.countScratch;
    values.layers = thread.layers;
    values.receivers = this.world.mounts.receivers(thread);
    values.hostMounts = this.world.mechanisms.runcNamespaceCopy ? this.world.mounts.hostMounts : 0;
    return values;
  }

  count(expression: CountExpression, thread: KernelThread): number {
    return evaluateCount(expression, this.countValues(thread));
  }

  /** Length of a critical section before SMT stretch. */
  holdNs(hold: HoldCost, thread: KernelThread): number {
    const world = this.world;
    let ns = hold.baseNs;
    const sum = world.mechanisms.perCpuSums ? world.locks.perCpuSumNs[thread.cpu] : 0;
    if (hold.perCpuSum) ns += sum;
    if (hold.perReceiverNs > 0 || hold.perReceiverCpuSum) {
      const receivers = world.mounts.receivers(thread);
      ns += receivers * (hold.perReceiverNs + (hold.perReceiverCpuSum ? sum : 0));
    }
    if (hold.perHostMountNs > 0 && world.mechanisms.runcNamespaceCopy) ns += world.mounts.hostMounts * hold.perHostMountNs;
    return ns;
  }

  /** Runs a step tree as `thread`. */
  *runSteps(thread: KernelThread, steps: readonly Step[], scale: number): ProcessBody {
    const world = this.world;
    const cpus = world.cpus;
    const categories = world.categories;
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
            if (thread.cpu < 0) yield* cpus.runOnCpu(thread);
            yield this.sim.delay(this.syscallUserNs);
            world.account(thread, categories.userWork, this.syscallUserNs);
          }
          if (thread.cpu >= 0 && cpus.runnableWaiting > 0) {
            cpus.leaveCpu(thread);
            yield* cpus.runOnCpu(thread);
          }
        }
        if (frame.call !== null && thread.busyReturned) {
          // The call returned EBUSY: retry after a sleep while the caller's policy allows, else leave the mount.
          thread.busyReturned = false;
          world.background.ebusyReturns++;
          const policy = frame.call.onBusy;
          if (policy !== null && frame.attempt <= policy.retries) {
            world.background.ebusyRetries++;
            yield* this.sleepOffCpu(thread, policy.waitNs, categories.offCpuWork);
            yield* this.enterCall(thread, frame.call, frame.scale, frame.attempt + 1, stack);
          } else {
            thread.mountFds.shift();
            world.mounts.leak(thread);
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
          if (thread.cpu < 0) yield* cpus.runOnCpu(thread);
          thread.awakeAtNs = this.sim.now + ns;
          yield this.sim.delay(ns);
          world.account(thread, thread.procedure === 0 ? categories.userWork : categories.kernelWork, ns);
          break;
        }
        case 'sleep':
          yield* this.sleepOffCpu(thread, step.ns * stepScale, categories.offCpuWork);
          break;
        case 'lock': {
          if (thread.cpu < 0) yield* cpus.runOnCpu(thread);
          // The uncontended seqlock write takes no process step; a contended seqlock section with
          // nothing nested takes one; anything else waits in its lock.
          let held = this.lockNowIfFree(thread, step);
          if (held === null && step.lockKind === 'seqlock' && step.steps.length === 0) {
            // Contended, nothing nested: the lock settles at the grant when the section starts and how
            // long it runs (startSection then), and the thread wakes once, at its end.
            const slot = this.locks.get(step.lock)!;
            const lock = slot.seqlock!;
            const cpu = thread.cpu;
            // spin_lock disables preemption: a waiter or holder is an RCU read-side holdout for an expedited GP.
            if (world.mechanisms.rcuHeldOpen) world.locks.rcu.enterReadSide(cpu);
            const request = this.requestOf(thread);
            const section = new HeldLock(step, cpu, slot, 0);
            request.held = section;
            request.scale = stepScale;
            const requestedNs = this.sim.now;
            yield step.mode === 'write' ? lock.requestWriteSection(cpu, request) : lock.requestExclusiveSection(cpu, request);
            world.account(thread, slot.spin, request.grantedNs - requestedNs);
            world.account(thread, slot.section, section.holdNs);
            this.releaseLock(thread, section);
            break;
          }
          held ??= yield* this.waitForLock(thread, step);
          const sectionNs = this.startSection(thread, held, stepScale);
          if (sectionNs > 0) {
            thread.awakeAtNs = this.sim.now + sectionNs;
            yield this.sim.delay(sectionNs);
            world.account(thread, held.slot.spin, held.transferNs);
            world.account(thread, held.slot.section, held.holdNs);
          }
          if (step.steps.length === 0) this.releaseLock(thread, held);
          else stack.push({ kind: FRAME_LOCK, steps: step.steps, index: 0, scale: stepScale, remaining: 0, lock: held, call: null, attempt: 1 });
          break;
        }
        case 'rcu':
          yield* this.gracePeriod(thread);
          break;
        case 'repeat': {
          const total = this.count(step.count, thread);
          if (total === 0) break;
          stack.push({ kind: FRAME_REPEAT, steps: step.steps, index: 0, scale: stepScale, remaining: total - 1, lock: null, call: null, attempt: 1 });
          break;
        }
        case 'call': {
          if (step.countsAsMountOp) thread.mountOps++;
          yield* this.enterCall(thread, step, stepScale, 1, stack);
          break;
        }
        case 'mounts':
          world.mounts.change(thread, step.delta);
          break;
        case 'window':
          world.mounts.window(step.enter);
          break;
        case 'busy': {
          if (!step.check || !this.mountBusy(thread)) {
            // Not busy: the umount goes ahead and the mount (and any helper's hold on it) is gone.
            thread.mountFds.shift();
            break;
          }
          // EBUSY: leave every lock taken inside the call, in reverse order, and return from it.
          thread.busyReturned = true;
          while (stack.length > 0) {
            const top = stack[stack.length - 1];
            if (top.call !== null) {
              top.index = top.steps.length;
              top.remaining = 0;
              break;
            }
            stack.pop();
            if (top.kind === FRAME_LOCK) this.releaseLock(thread, top.lock!);
          }
          break;
        }
        case 'fork': {
          const ns = step.ns * stepScale;
          if (thread.cpu < 0) yield* cpus.runOnCpu(thread);
          // The child exists from the fork until the parent, done with it, kills and reaps it.
          world.helperForked(thread, this.sim.now + ns);
          if (ns <= 0) break;
          thread.awakeAtNs = this.sim.now + ns;
          yield this.sim.delay(ns);
          world.account(thread, categories.userWork, ns);
          break;
        }
        case 'fd':
          world.mountFd(thread, step.open);
          break;
      }
    }
  }

  /** Enters a call: a user-space procedure (or a syscall called from a syscall) as plain steps, a syscall as a syscall frame. */
  private *enterCall(thread: KernelThread, step: CallStep, scale: number, attempt: number, stack: Frame[]): ProcessBody {
    const slot = this.procedures.get(step.procedure)!;
    const procedure = slot.procedure;
    if (!procedure.isSyscall || thread.procedure !== 0) {
      stack.push(plainFrame(procedure.steps, scale, step, attempt));
      return;
    }
    if (thread.cpu < 0) yield* this.world.cpus.runOnCpu(thread);
    thread.syscalls++;
    thread.syscallCounts.set(procedure.name, (thread.syscallCounts.get(procedure.name) ?? 0) + 1);
    thread.procedure = slot.number;
    stack.push({ kind: FRAME_SYSCALL, steps: procedure.steps, index: 0, scale, remaining: 0, lock: null, call: step, attempt });
  }

  /** propagate_mount_busy: the mount this thread opened an fd on earliest and has not unmounted has an extra reference while a helper holding the fd lives. */
  private mountBusy(thread: KernelThread): boolean {
    if (!this.world.mechanisms.usernsHelperFds || thread.mountFds.length === 0) return false;
    return this.sim.now < thread.mountFds[0];
  }

  *work(thread: KernelThread, ns: number, category: number): ProcessBody {
    if (ns <= 0) return;
    yield* this.world.cpus.runOnCpu(thread);
    yield this.sim.delay(ns);
    this.world.account(thread, category, ns);
  }

  *sleepOffCpu(thread: KernelThread, ns: number, category: number): ProcessBody {
    this.world.cpus.leaveCpu(thread);
    if (ns <= 0) return;
    thread.awakeAtNs = this.sim.now + ns;
    yield this.sim.delay(ns);
    this.world.account(thread, category, ns);
  }

  /** One path lookup: path_init reads the walk seqlock's count (spinning while odd, inside rcu_read_lock), walks, and retries in ref-walk mode if a write moved the count. */
  *walk(thread: KernelThread, scale: number): ProcessBody {
    const world = this.world;
    if (thread.cpu < 0) yield* world.cpus.runOnCpu(thread);
    const cpu = thread.cpu;
    const lock = world.locks.walkLock;
    const rcu = world.locks.rcu;
    const readerSpin = world.categories.readerSpin;
    const holdsGracePeriod = world.mechanisms.rcuHeldOpen;
    if (holdsGracePeriod) rcu.enterReadSide(cpu);
    let startNs = this.sim.now;
    let sequence = lock.readBeginNowIfEven(cpu);
    // A stale copy of the line is a miss: its latency counts as the walk's.
    let missNs = lock.readDelayNs;
    if (sequence < 0) {
      sequence = yield* lock.readBegin(cpu);
      world.account(thread, readerSpin, this.sim.now - startNs);
      missNs = 0;
    }
    const walkNs = this.walkNs * scale;
    yield this.sim.delay(walkNs + missNs);
    world.account(thread, world.categories.walk, walkNs + missNs);
    if (holdsGracePeriod) rcu.exitReadSide(cpu);
    if (lock.readRetry(sequence, cpu)) {
      // -ECHILD: filename_lookup reruns the whole lookup in ref-walk mode, outside RCU.
      startNs = this.sim.now;
      missNs = 0;
      if (lock.readBeginNowIfEven(cpu) < 0) {
        yield* lock.readBegin(cpu);
        world.account(thread, readerSpin, this.sim.now - startNs);
      } else missNs = lock.readDelayNs;
      yield this.sim.delay(walkNs + missNs);
      world.account(thread, world.categories.walk, walkNs + missNs);
    }
  }

  /**
   * write_seqlock() on a free seqlock, without a process step: the line
   * transfer is folded into the section's timer. Null if the step needs
   * anything else (a wait, an exclusive read, a semaphore).
   */
  private lockNowIfFree(thread: KernelThread, step: LockStep): HeldLock | null {
    if (step.lockKind !== 'seqlock' || step.mode !== 'write') return null;
    const slot = this.locks.get(step.lock)!;
    const lock = slot.seqlock!;
    if (lock.spinlock.isLocked) return null;
    const cpu = thread.cpu;
    // spin_lock disables preemption: a waiter or holder is an RCU read-side holdout for an expedited GP.
    if (this.world.mechanisms.rcuHeldOpen) this.world.locks.rcu.enterReadSide(cpu);
    const transferNs = lock.writeLockNowIfFree(cpu);
    return new HeldLock(step, cpu, slot, transferNs);
  }

  /** The thread's section request, reused from one contended section to the next. */
  private requestOf(thread: KernelThread): SectionRequest {
    let request = thread.sectionRequest as SectionRequest | null;
    if (request === null) request = thread.sectionRequest = new SectionRequest(this, thread);
    return request;
  }

  /** Waits until the thread holds the lock of a `lock` step (spinning or asleep, as the lock decides). */
  private *waitForLock(thread: KernelThread, step: LockStep): ProcessBody<HeldLock> {
    const world = this.world;
    const slot = this.locks.get(step.lock)!;
    const spinCategory = slot.spin;
    if (step.lockKind === 'seqlock') {
      const cpu = thread.cpu;
      const lock = slot.seqlock!;
      if (world.mechanisms.rcuHeldOpen) world.locks.rcu.enterReadSide(cpu);
      const requestedNs = this.sim.now;
      if (step.mode === 'write') yield* lock.writeLock(cpu);
      else yield* lock.lockExclusive(cpu);
      world.account(thread, spinCategory, this.sim.now - requestedNs);
      return new HeldLock(step, cpu, slot, 0);
    }
    const lockCpu = thread.cpu;
    const sem = slot.sem!;
    const requestedNs = this.sim.now;
    const sleepBefore = sem.stats.sleepNs;
    thread.sleptInLock = false;
    if (step.mode === 'write') yield* sem.downWrite(lockCpu);
    else yield* sem.downRead(lockCpu);
    const waitedNs = this.sim.now - requestedNs;
    if (thread.sleptInLock) {
      const sleptNs = Math.min(waitedNs, sem.stats.sleepNs - sleepBefore);
      world.account(thread, slot.sleep, sleptNs);
      world.account(thread, spinCategory, waitedNs - sleptNs);
      // Granted while asleep: the owner must be scheduled again before it can run its section.
      thread.sleptInLock = false;
      yield* world.cpus.runOnCpu(thread);
      if (thread.cpu !== lockCpu) world.cpus.refreshBusy(lockCpu);
    } else {
      world.account(thread, spinCategory, waitedNs);
    }
    if (step.mode === 'write') {
      thread.writeHeldSems.push(sem);
      sem.setOwnerRunning(true);
    }
    return new HeldLock(step, lockCpu, slot, 0);
  }

  /**
   * The critical section of a lock just taken: its length (SMT stretch
   * included) and, for a seqlock write, the background walkers it gathers.
   * Returns the time the thread spends before nested steps run: any line
   * transfer still due plus the section.
   */
  /** (Called by SectionRequest at a grant.) */
  startSection(thread: KernelThread, held: HeldLock, scale: number, atNs = this.sim.now): number {
    const world = this.world;
    const step = held.step;
    const baseHoldNs = this.holdNs(step.hold, thread) * scale;
    if (held.slot.seqlock === null) {
      held.holdNs = baseHoldNs > 0 ? world.cpuState.stretchNs(thread.cpu, baseHoldNs) : 0;
      return held.holdNs;
    }
    const cpu = held.cpu;
    let holdNs = world.cpuState.stretchNs(cpu, baseHoldNs);
    const readers = world.readers;
    if (readers !== null && step.mode === 'write') {
      if (holdNs === baseHoldNs) holdNs = baseHoldNs * readers.siblingStretch(cpu, baseHoldNs);
      if (world.mechanisms.rcuHeldOpen) readers.holdGracePeriod(atNs, holdNs + held.transferNs);
    }
    world.background.sections++;
    world.background.sectionBaseNs += baseHoldNs;
    world.background.sectionStretchNs += holdNs - baseHoldNs;
    held.holdNs = holdNs;
    return holdNs + held.transferNs;
  }

  private releaseLock(thread: KernelThread, held: HeldLock): void {
    const { step, cpu } = held;
    const seqlock = held.slot.seqlock;
    if (seqlock !== null) {
      if (step.mode === 'write') seqlock.writeUnlock(cpu);
      else seqlock.unlockExclusive(cpu);
      if (this.world.mechanisms.rcuHeldOpen) this.world.locks.rcu.exitReadSide(cpu);
      return;
    }
    const sem = held.slot.sem!;
    if (step.mode === 'write') {
      const sems = thread.writeHeldSems;
      sems.splice(sems.lastIndexOf(sem), 1);
      sem.upWrite(cpu);
    } else sem.upRead(cpu);
  }

  *gracePeriod(thread: KernelThread): ProcessBody {
    const world = this.world;
    const cpu = thread.cpu >= 0 ? thread.cpu : thread.preferredCpu;
    world.cpus.leaveCpu(thread);
    const startNs = this.sim.now;
    yield* world.locks.rcu.synchronizeExpedited(cpu);
    world.account(thread, world.categories.rcuGracePeriod, this.sim.now - startNs);
    // synchronizeExpedited marks its CPU busy on return; the scheduler decides where the thread runs.
    world.cpus.refreshBusy(cpu);
  }
}
