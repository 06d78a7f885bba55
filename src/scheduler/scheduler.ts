/**
 * Which thread runs on which CPU.
 *
 * Models the part of the Linux scheduler that matters for lock storms on a
 * non-preemptible (PREEMPT_NONE/VOLUNTARY) server kernel: a thread that enters
 * the kernel keeps its CPU until it sleeps or returns, so a task spinning in
 * spin_lock() or path_init() holds a CPU the whole time, and runnable threads
 * queue behind it. Placement is work-conserving and SMT-aware like
 * select_idle_sibling(): the previous CPU if idle, else a CPU on a fully idle
 * core, else any idle CPU, else the global run queue in FIFO order.
 *
 * Simplifications: one global run queue (perfect load balancing); no time
 * slices for kernel-mode work; user-mode work between syscalls yields the CPU
 * only when someone is waiting (`yieldIfContended`).
 */
import { SimEvent, type ProcessBody, type Simulation, Deque } from '../engine/index.js';
import type { Topology } from '../topology/index.js';

export interface SchedulerOptions {
  /** Cost of switching a CPU to a thread that was waiting for it (context switch + cache warm-up), ns. */
  contextSwitchNs: number;
}

/** Occupant marker while a CPU switches to a queued thread. */
const SWITCHING = 2 ** 30;

interface QueuedThread {
  readonly event: SimEvent<number>;
  readonly preferredCpu: number;
  readonly allowed: ReadonlySet<number> | null;
}

export class CpuScheduler {
  private readonly occupant: Int32Array;
  private readonly runQueue = new Deque<QueuedThread>();
  private readonly cpuIds: readonly number[];
  private readonly maxCpuId: number;
  private nextScan = 0;
  /** Called whenever a CPU becomes busy or idle (drives SMT slowdown). */
  onBusyChange: ((cpu: number, busy: boolean) => void) | null = null;
  /**
   * Called when a thread had to queue for a CPU: need_resched() on the CPUs
   * the thread may use. A preemptible occupant (an optimistic spinner) may
   * give its CPU up, which `release` then hands to the queue.
   */
  onNeedResched: ((allowed: ReadonlySet<number> | null) => void) | null = null;
  runQueueWaitNs = 0;
  maxRunQueueLength = 0;
  private busy = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly topology: Topology,
    private readonly options: SchedulerOptions,
  ) {
    this.cpuIds = topology.cpus.map((c) => c.id);
    this.maxCpuId = Math.max(...this.cpuIds);
    this.occupant = new Int32Array(this.maxCpuId + 1).fill(-2);
    for (const id of this.cpuIds) this.occupant[id] = -1;
  }

  get runnableWaiting(): number {
    return this.runQueue.length;
  }

  isBusy(cpu: number): boolean {
    return this.occupant[cpu] >= 0;
  }

  /** CPUs running a thread now (a CPU in a context switch is not counted). */
  get busyCount(): number {
    return this.busy;
  }

  /** Sets who occupies `cpu`, keeping the busy count. */
  private setOccupant(cpu: number, value: number): void {
    this.busy += (value >= 0 ? 1 : 0) - (this.occupant[cpu] >= 0 ? 1 : 0);
    this.occupant[cpu] = value;
  }

  /** Waits for a CPU for `thread`, preferring `preferredCpu`; returns the CPU it got. */
  *acquire(thread: number, preferredCpu: number, allowed: ReadonlySet<number> | null = null): ProcessBody<number> {
    const idle = this.findIdle(preferredCpu, allowed);
    if (idle >= 0) {
      this.occupy(idle, thread);
      return idle;
    }
    const event = new SimEvent<number>(this.sim);
    const queuedAt = this.sim.now;
    this.runQueue.push({ event, preferredCpu, allowed });
    if (this.runQueue.length > this.maxRunQueueLength) this.maxRunQueueLength = this.runQueue.length;
    this.onNeedResched?.(allowed);
    const cpu: number = yield event;
    this.runQueueWaitNs += this.sim.now - queuedAt;
    this.setOccupant(cpu, thread);
    return cpu;
  }

  /** Gives the CPU up; the oldest runnable thread allowed on it gets it after a context switch. */
  release(cpu: number): void {
    const queued = this.takeQueuedFor(cpu);
    if (queued !== undefined) {
      // The CPU stays busy through the switch; ownership passes when the event fires.
      this.setOccupant(cpu, SWITCHING);
      queued.event.succeed(cpu, undefined, this.options.contextSwitchNs);
      return;
    }
    this.setOccupant(cpu, -1);
    this.onBusyChange?.(cpu, false);
  }

  /** Between syscalls: if others wait for a CPU, go to the back of the queue. */
  *yieldIfContended(thread: number, cpu: number): ProcessBody<number> {
    if (this.runQueue.length === 0) return cpu;
    this.release(cpu);
    return yield* this.acquire(thread, cpu);
  }

  private occupy(cpu: number, thread: number): void {
    this.setOccupant(cpu, thread);
    this.onBusyChange?.(cpu, true);
  }

  private takeQueuedFor(cpu: number): QueuedThread | undefined {
    const head = this.runQueue.peek();
    if (head === undefined) return undefined;
    if (head.allowed === null || head.allowed.has(cpu)) return this.runQueue.shift();
    for (const queued of this.runQueue) {
      if (queued.allowed === null || queued.allowed.has(cpu)) {
        this.runQueue.remove(queued);
        return queued;
      }
    }
    return undefined;
  }

  private findIdle(preferred: number, allowed: ReadonlySet<number> | null): number {
    const ok = (cpu: number): boolean => this.occupant[cpu] === -1 && (allowed === null || allowed.has(cpu));
    if (preferred >= 0 && preferred <= this.maxCpuId && ok(preferred)) return preferred;
    const ids = this.cpuIds;
    const n = ids.length;
    let anyIdle = -1;
    // Rotate the scan start so idle CPUs are used evenly, deterministically.
    for (let k = 0; k < n; k++) {
      const cpu = ids[(this.nextScan + k) % n];
      if (!ok(cpu)) continue;
      if (this.coreIdle(cpu)) {
        this.nextScan = (this.nextScan + k + 1) % n;
        return cpu;
      }
      if (anyIdle < 0) anyIdle = cpu;
    }
    return anyIdle;
  }

  private coreIdle(cpu: number): boolean {
    for (const sibling of this.topology.siblings(cpu)) {
      if (sibling <= this.maxCpuId && this.occupant[sibling] >= 0) return false;
    }
    return true;
  }
}
