/**
 * Expedited RCU grace periods as umount meets them: namespace_unlock()
 * calls synchronize_rcu_expedited() (fs/namespace.c; kernel/rcu/tree_exp.h).
 *
 * Fairness: callers do not queue for a lock; they wait for a grace period
 * that starts after their call. Callers arriving while a grace period runs
 * share the following one (exp_funnel_lock piggy-backing), so any number of
 * concurrent callers costs at most two grace periods each.
 * Waiters: sleep (their CPU is idle) until their grace period ends.
 * Duration: `baseNs + perCpuNs x online CPUs` (the IPIs and per-CPU checks;
 * sync_rcu_exp_select_cpus sends none to an offline CPU
 * of an expedited grace period), and mechanism 2 of the mission: it cannot
 * end while a CPU that was inside an RCU read-side section when it started is
 * still inside that section (a path walk spinning in path_init on mount_lock
 * is one). The launch model marks those sections with enterReadSide /
 * exitReadSide.
 * Cache lines: none modelled (the IPIs are in perCpuNs).
 * Simplified on purpose: a CPU that leaves and re-enters a read-side section
 * during the grace period releases it at its first exit (true for RCU: the
 * quiescent state was reached); nesting is counted per CPU.
 */
import type { ProcessBody, SimEvent } from '../engine/index.js';
import type { KernelContext } from './context.js';

export interface ExpeditedRcuOptions {
  /** Fixed cost of an expedited grace period on a quiet machine, ns. */
  baseNs: number;
  /** Added per online CPU (IPI and quiescent-state check), ns. */
  perCpuNs: number;
}

export class RcuStats {
  gracePeriods = 0;
  totalGpNs = 0;
  maxGpNs = 0;
  /** Grace periods that ended later than their duration because of read-side holdouts. */
  heldOpenGracePeriods = 0;
  callers = 0;
  /** Callers' total time asleep in synchronizeExpedited, ns. */
  totalWaitNs = 0;

  get meanGpNs(): number {
    return this.gracePeriods === 0 ? 0 : this.totalGpNs / this.gracePeriods;
  }

  get callersPerGracePeriod(): number {
    return this.gracePeriods === 0 ? 0 : this.callers / this.gracePeriods;
  }
}

interface GracePeriod {
  readonly event: SimEvent<void>;
  startNs: number;
  callers: number;
  readonly holdouts: Set<number>;
  durationDone: boolean;
}

export class ExpeditedRcu {
  readonly stats = new RcuStats();
  private readonly readSideDepth: Int32Array;
  private current: GracePeriod | null = null;
  private anonymousHoldoutUntilNs = 0;
  private next: GracePeriod | null = null;

  constructor(
    private readonly context: KernelContext,
    readonly name: string,
    private readonly options: ExpeditedRcuOptions,
  ) {
    let maxId = 0;
    for (const cpu of context.topology.possibleCpus) maxId = Math.max(maxId, cpu.id);
    for (const cpu of context.topology.cpus) maxId = Math.max(maxId, cpu.id);
    this.readSideDepth = new Int32Array(maxId + 1);
  }

  /** Length of a grace period with no read-side holdouts, ns. */
  get durationNs(): number {
    return this.options.baseNs + this.options.perCpuNs * this.context.topology.onlineCpus.length;
  }

  get gracePeriodRunning(): boolean {
    return this.current !== null;
  }

  isInReadSide(cpu: number): boolean {
    return this.readSideDepth[cpu] > 0;
  }

  /**
   * Read-side sections whose CPUs are not tracked one by one (the launch
   * model's background path walkers spinning through a write section): any
   * grace period that starts before `timeNs` cannot end before it.
   */
  holdOpenUntil(timeNs: number): void {
    if (timeNs > this.anonymousHoldoutUntilNs) this.anonymousHoldoutUntilNs = timeNs;
  }

  /** rcu_read_lock(). */
  enterReadSide(cpu: number): void {
    this.readSideDepth[cpu]++;
  }

  /** rcu_read_unlock(): the outermost exit is a quiescent state for a running grace period. */
  exitReadSide(cpu: number): void {
    if (this.readSideDepth[cpu] === 0) throw new Error(`${this.name}: cpu ${cpu} leaves a read-side section it is not in`);
    if (--this.readSideDepth[cpu] > 0) return;
    const gp = this.current;
    if (gp !== null && gp.holdouts.delete(cpu) && gp.holdouts.size === 0 && gp.durationDone) this.end(gp);
  }

  /** synchronize_rcu_expedited(): returns after a full grace period that began after the call. */
  *synchronizeExpedited(cpu: number): ProcessBody<void> {
    const sim = this.context.sim;
    const calledNs = sim.now;
    let gp: GracePeriod;
    if (this.current === null) {
      gp = this.newGracePeriod();
      this.start(gp);
    } else {
      gp = this.next ??= this.newGracePeriod();
    }
    gp.callers++;
    this.stats.callers++;
    this.context.cpuState.setBusy(cpu, false);
    yield gp.event;
    this.context.cpuState.setBusy(cpu, true);
    this.stats.totalWaitNs += sim.now - calledNs;
  }

  private newGracePeriod(): GracePeriod {
    return { event: this.context.sim.event<void>(), startNs: 0, callers: 0, holdouts: new Set(), durationDone: false };
  }

  private start(gp: GracePeriod): void {
    const sim = this.context.sim;
    this.current = gp;
    gp.startNs = sim.now;
    const depth = this.readSideDepth;
    for (let cpu = 0; cpu < depth.length; cpu++) if (depth[cpu] > 0) gp.holdouts.add(cpu);
    // Untracked holdouts present at the start extend the minimum duration to when they leave.
    const minimumNs = Math.max(this.durationNs, this.anonymousHoldoutUntilNs - sim.now);
    if (minimumNs > this.durationNs) this.stats.heldOpenGracePeriods++;
    sim.timeout(minimumNs).addCallback(() => {
      gp.durationDone = true;
      if (gp.holdouts.size === 0) this.end(gp);
      else this.stats.heldOpenGracePeriods++;
    });
  }

  private end(gp: GracePeriod): void {
    const now = this.context.sim.now;
    const gpNs = now - gp.startNs;
    const stats = this.stats;
    stats.gracePeriods++;
    stats.totalGpNs += gpNs;
    if (gpNs > stats.maxGpNs) stats.maxGpNs = gpNs;
    gp.event.succeed();
    this.current = null;
    const next = this.next;
    if (next !== null) {
      this.next = null;
      this.start(next);
    }
  }
}
