/**
 * A reader-writer semaphore as namespace_sem uses it (fs/namespace.c:
 * static DECLARE_RWSEM(namespace_sem); kernel/locking/rwsem.c, Linux 6.12).
 *
 * Fairness: readers share, writers exclude. Sleepers wait on one FIFO list; a
 * reader arriving while anyone waits queues behind them. At a release the
 * lock goes, in this order, to: the head waiter if it has waited longer than
 * RWSEM_WAIT_TIMEOUT (4 ms, the handoff bit: no one may steal from it); else
 * the first optimistic spinner (spinners beat sleepers, as in Linux); else
 * the head run of readers (granted at once, as rwsem_mark_wake does), or the
 * head writer, which is woken and must then find the lock free: a writer
 * arriving during its wake-up steals the lock (rwsem_try_write_lock_unqueued).
 * Waiters: a writer arriving while a writer owns the lock and runs on a CPU
 * spins on the owner (busy CPU) for at most `maxSpinNs`, then sleeps;
 * otherwise it sleeps at once. Spinners also go to sleep when readers take
 * the lock or the owner leaves its CPU (rwsem_spin_on_owner: the owner is no
 * longer a writer on a CPU, owner_on_cpu()), or when another thread needs
 * their CPU (`preemptSpinner`, need_resched()). The owner is off its CPU from
 * a grant to a sleeping waiter until its caller reports it running
 * (`setOwnerRunning`), and whenever the caller reports it descheduled. Readers never spin: reader optimistic spinning
 * was removed from Linux in 5.19. Waking a sleeper costs `wakeupNs`.
 * Cache lines: sem->count, one line: every acquisition is an atomic on it
 * (one transfer to the acquirer). Releases are charged nothing.
 * Simplified on purpose: only the head run
 * of readers is woken (Linux grants up to 256 queued readers, writers
 * skipped); a woken writer that finds the lock taken goes back to sleep
 * without spinning again.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque, NORMAL, ms, type ProcessBody, type SimEvent } from '../engine/index.js';
import type { KernelContext } from './context.js';
import { LockStats, type LockMode } from './lock-stats.js';

type WaiterPhase = 'spinning' | 'sleeping' | 'waking' | 'granted';

interface RwWaiter {
  readonly cpu: number;
  readonly mode: 'read' | 'write';
  readonly event: SimEvent<void>;
  readonly requestedNs: number;
  phase: WaiterPhase;
  phaseSinceNs: number;
  wakeAtNs: number;
}

export interface RwSemaphoreOptions {
  /** Latency from a wake-up to the sleeper running again (scheduler), ns. */
  wakeupNs: number;
  /** Longest optimistic spin of a writer on a running writer owner, ns (Infinity: until need_resched). */
  maxSpinNs: number;
  /** RWSEM_WAIT_TIMEOUT: after this wait the head waiter gets the lock handed off. */
  handoffTimeoutNs?: number;
  homeNode?: number;
  /** Where both modes' events are reported (default: plain counters). */
  stats?: LockStats;
}

export const RWSEM_WAIT_TIMEOUT_NS = ms(4);

export class RwSemaphore {
  /** Both modes: waits, spin and sleep time, handoffs; every event is reported here. */
  readonly stats: LockStats;
  readonly readStats = new LockStats();
  readonly writeStats = new LockStats();
  readonly line: CacheLine;
  private writerCpu = -1;
  /** owner_on_cpu() for the writer owner: false between a grant to a sleeper and its first run, and while descheduled. */
  private ownerRunning = false;
  private readerCount = 0;
  private writerAcquiredNs = 0;
  private readonly readersAcquiredNs = new Map<number, number[]>();
  private readonly waitList = new Deque<RwWaiter>();
  private readonly spinners: RwWaiter[] = [];
  private readonly handoffTimeoutNs: number;

  constructor(
    private readonly context: KernelContext,
    readonly name: string,
    private readonly options: RwSemaphoreOptions,
  ) {
    this.line = new CacheLine(context, name, options.homeNode);
    this.stats = options.stats ?? new LockStats();
    this.handoffTimeoutNs = options.handoffTimeoutNs ?? RWSEM_WAIT_TIMEOUT_NS;
  }

  get writer(): number {
    return this.writerCpu;
  }

  get readers(): number {
    return this.readerCount;
  }

  get waiting(): number {
    return this.waitList.length + this.spinners.length;
  }

  /** down_read(). */
  *downRead(cpu: number): ProcessBody<void> {
    const sim = this.context.sim;
    const requestedNs = sim.now;
    this.emitRequested(cpu, 'read');
    if (this.writerCpu < 0 && this.waitList.length === 0 && this.spinners.length === 0) {
      this.readerCount++;
      const delayNs = this.line.transferTo(cpu);
      if (delayNs > 0) yield sim.timeout(delayNs);
      this.acquired(cpu, 'read', requestedNs, false);
      return;
    }
    const waiter = this.newWaiter(cpu, 'read', requestedNs);
    this.sleep(waiter);
    yield waiter.event;
    this.context.cpuState.setBusy(cpu, true);
    this.acquired(cpu, 'read', requestedNs, true);
  }

  /** down_write(). */
  *downWrite(cpu: number): ProcessBody<void> {
    const sim = this.context.sim;
    const requestedNs = sim.now;
    this.emitRequested(cpu, 'write');
    if (this.writerCpu < 0 && this.readerCount === 0 && !this.handoffDue()) {
      this.writerCpu = cpu;
      this.ownerRunning = true;
      const delayNs = this.line.transferTo(cpu);
      if (delayNs > 0) yield sim.timeout(delayNs);
      this.acquired(cpu, 'write', requestedNs, false);
      return;
    }
    const waiter = this.newWaiter(cpu, 'write', requestedNs);
    if (this.writerCpu >= 0 && this.ownerRunning && this.options.maxSpinNs > 0) this.spin(waiter);
    else this.sleep(waiter);
    yield waiter.event;
    this.context.cpuState.setBusy(cpu, true);
    this.acquired(cpu, 'write', requestedNs, true);
  }

  /**
   * The write owner was scheduled onto a CPU (true) or left it (false). Off
   * its CPU, every optimistic spinner stops spinning and sleeps: spinning on
   * an owner that does not run would only burn CPUs the owner may need.
   */
  setOwnerRunning(running: boolean): void {
    if (this.writerCpu < 0) return;
    this.ownerRunning = running;
    if (!running) this.stopSpinners();
  }

  private stopSpinners(): void {
    while (this.spinners.length > 0) this.spinToSleep(this.spinners[0]);
  }

  /** up_read(). */
  upRead(cpu: number): void {
    const stack = this.readersAcquiredNs.get(cpu);
    const acquiredNs = stack?.pop();
    if (acquiredNs === undefined) throw new Error(`${this.name}: cpu ${cpu} releases a read lock it does not hold`);
    this.readerCount--;
    this.released(cpu, 'read', this.context.sim.now - acquiredNs);
    if (this.readerCount === 0) this.release(cpu);
  }

  /** up_write(). */
  upWrite(cpu: number): void {
    if (this.writerCpu !== cpu) throw new Error(`${this.name}: cpu ${cpu} releases a write lock held by cpu ${this.writerCpu}`);
    this.writerCpu = -1;
    this.released(cpu, 'write', this.context.sim.now - this.writerAcquiredNs);
    this.release(cpu);
  }

  /** The lock just became free: pick who gets it (see the header for the order). */
  private release(releaserCpu: number): void {
    const head = this.waitList.peek();
    if (head !== undefined && this.handoffDue()) {
      if (head.mode === 'read') this.grantReaderRun(releaserCpu);
      else {
        this.waitList.shift();
        this.writerCpu = head.cpu;
        this.grant(head, releaserCpu);
      }
      return;
    }
    if (this.spinners.length > 0) {
      const spinner = this.spinners[0];
      this.writerCpu = spinner.cpu;
      this.grant(spinner, releaserCpu);
      return;
    }
    if (head === undefined) return;
    if (head.mode === 'read') this.grantReaderRun(releaserCpu);
    else if (head.phase === 'sleeping') this.wakeToCompete(head);
  }

  private handoffDue(): boolean {
    const head = this.waitList.peek();
    return head !== undefined && this.context.sim.now - head.requestedNs >= this.handoffTimeoutNs;
  }

  private grantReaderRun(releaserCpu: number): void {
    for (let head = this.waitList.peek(); head !== undefined && head.mode === 'read'; head = this.waitList.peek()) {
      this.waitList.shift();
      this.readerCount++;
      this.grant(head, releaserCpu);
    }
    // Writers spin only on a writer owner.
    this.stopSpinners();
  }

  /**
   * The lock is `waiter`'s (ownership already recorded); wake it when it can
   * run. `releaserCpu` -1: a woken writer took a free lock (no handoff).
   */
  private grant(waiter: RwWaiter, releaserCpu: number): void {
    const { sim, topology, cpuState } = this.context;
    const now = sim.now;
    let runsAtNs = now;
    if (waiter.phase === 'spinning') {
      this.spinners.splice(this.spinners.indexOf(waiter), 1);
      this.stats.spinNs += now - waiter.phaseSinceNs;
      cpuState.setSpinning(waiter.cpu, false);
    } else if (waiter.phase === 'sleeping') {
      runsAtNs = now + this.options.wakeupNs;
      this.stats.sleepNs += runsAtNs - waiter.phaseSinceNs;
    } else if (waiter.phase === 'waking') {
      runsAtNs = Math.max(now, waiter.wakeAtNs);
      this.stats.sleepNs += runsAtNs - waiter.phaseSinceNs;
      this.waitList.remove(waiter);
    }
    // A spinner runs on its CPU; a sleeper or waker runs only once scheduled (the caller's setOwnerRunning).
    if (waiter.mode === 'write') this.ownerRunning = waiter.phase === 'spinning';
    waiter.phase = 'granted';
    if (releaserCpu >= 0) {
      const distanceClass = topology.distanceClass(releaserCpu, waiter.cpu);
      this.stats.handedOff(releaserCpu, waiter.cpu, now, waiter.mode, distanceClass);
    }
    waiter.event.succeed(undefined, NORMAL, this.line.transferTo(waiter.cpu, runsAtNs));
    if (waiter.mode === 'write' && !this.ownerRunning) this.stopSpinners();
  }

  /** The head writer is woken; it takes the lock only if still free when it runs. */
  private wakeToCompete(waiter: RwWaiter): void {
    const sim = this.context.sim;
    waiter.phase = 'waking';
    waiter.wakeAtNs = sim.now + this.options.wakeupNs;
    sim.timeout(this.options.wakeupNs).addCallback(() => {
      if (waiter.phase !== 'waking') return;
      if (this.writerCpu < 0 && this.readerCount === 0) {
        this.writerCpu = waiter.cpu;
        this.grant(waiter, -1);
        return;
      }
      this.stats.sleepNs += sim.now - waiter.phaseSinceNs;
      waiter.phase = 'sleeping';
      waiter.phaseSinceNs = sim.now;
    });
  }

  private newWaiter(cpu: number, mode: 'read' | 'write', requestedNs: number): RwWaiter {
    return { cpu, mode, event: this.context.sim.event<void>(), requestedNs, phase: 'sleeping', phaseSinceNs: requestedNs, wakeAtNs: 0 };
  }

  private spin(waiter: RwWaiter): void {
    const sim = this.context.sim;
    waiter.phase = 'spinning';
    waiter.phaseSinceNs = sim.now;
    this.spinners.push(waiter);
    this.context.cpuState.setSpinning(waiter.cpu, true);
    // An infinite limit: spin until the owner changes kind or the CPU is wanted (preemptSpinner).
    if (!Number.isFinite(this.options.maxSpinNs)) return;
    sim.timeout(this.options.maxSpinNs).addCallback(() => {
      if (waiter.phase === 'spinning') this.spinToSleep(waiter);
    });
  }

  /**
   * need_resched() on `cpu`: an optimistic spinner there stops spinning and
   * sleeps (rwsem_spin_on_owner gives up when another task wants the CPU).
   * Returns false if no waiter spins on `cpu`.
   */
  preemptSpinner(cpu: number): boolean {
    const waiter = this.spinners.find((w) => w.cpu === cpu);
    if (waiter === undefined) return false;
    this.spinToSleep(waiter);
    return true;
  }

  /** CPUs of the optimistic spinners, longest-spinning first. */
  get spinningCpus(): readonly number[] {
    return this.spinners.map((w) => w.cpu);
  }

  private spinToSleep(waiter: RwWaiter): void {
    const now = this.context.sim.now;
    this.spinners.splice(this.spinners.indexOf(waiter), 1);
    this.stats.spinNs += now - waiter.phaseSinceNs;
    this.sleep(waiter);
  }

  private sleep(waiter: RwWaiter): void {
    waiter.phase = 'sleeping';
    waiter.phaseSinceNs = this.context.sim.now;
    this.context.cpuState.setBusy(waiter.cpu, false);
    this.waitList.push(waiter);
    this.context.onSleep?.(waiter.cpu);
  }

  private emitRequested(cpu: number, mode: LockMode): void {
    this.stats.requested(cpu, this.context.sim.now, mode);
  }

  private acquired(cpu: number, mode: 'read' | 'write', requestedNs: number, contended: boolean): void {
    const now = this.context.sim.now;
    const waitNs = now - requestedNs;
    this.stats.acquired(cpu, now, mode, waitNs, contended);
    (mode === 'read' ? this.readStats : this.writeStats).acquired(cpu, now, mode, waitNs, contended);
    if (mode === 'write') this.writerAcquiredNs = now;
    else {
      let stack = this.readersAcquiredNs.get(cpu);
      if (stack === undefined) this.readersAcquiredNs.set(cpu, (stack = []));
      stack.push(now);
    }
  }

  private released(cpu: number, mode: 'read' | 'write', holdNs: number): void {
    const now = this.context.sim.now;
    this.stats.released(cpu, now, mode, holdNs);
    (mode === 'read' ? this.readStats : this.writeStats).released(cpu, now, mode, holdNs);
  }
}
