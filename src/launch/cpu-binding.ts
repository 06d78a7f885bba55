/**
 * Which thread is on which CPU, as the launch model sees it: threads ask the
 * scheduler for a CPU before running a step and give it back when they sleep
 * or return to user space with others waiting. Two kernel behaviours meet
 * here: a thread that sleeps inside an rwsem wait gives its CPU up (the lock
 * calls `onLockSleep`), and a thread waiting for a CPU makes the newest
 * optimistic spinner on a sleeping lock yield (need_resched()).
 */
import type { ProcessBody, Simulation } from '../engine/index.js';
import type { CpuState } from '../coherence/cpu-state.js';
import type { RwSemaphore } from '../kernel/index.js';
import type { CpuScheduler } from '../scheduler/scheduler.js';
import type { KernelThread } from './thread.js';

export class CpuBinding {
  private readonly threadOnCpu: (KernelThread | null)[];

  constructor(
    private readonly sim: Simulation,
    private readonly scheduler: CpuScheduler,
    private readonly cpuState: CpuState,
    private readonly rwsems: ReadonlyMap<string, RwSemaphore>,
    maxCpu: number,
    /** Charges run-queue time to the thread. */
    private readonly chargeRunQueue: (thread: KernelThread, ns: number) => void,
  ) {
    this.threadOnCpu = new Array<KernelThread | null>(maxCpu + 1).fill(null);
    scheduler.onBusyChange = (cpu, busy) => cpuState.setBusy(cpu, busy);
    scheduler.onNeedResched = () => this.preemptOneSpinner();
  }

  *runOnCpu(thread: KernelThread): ProcessBody {
    if (thread.cpu >= 0) return;
    const startNs = this.sim.now;
    const cpu = yield* this.scheduler.acquire(thread.id, thread.cpu >= 0 ? thread.cpu : thread.preferredCpu);
    this.chargeRunQueue(thread, this.sim.now - startNs);
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

  /** The rwsem put the thread on `cpu` to sleep: the CPU is free for others until it is granted. */
  onLockSleep(cpu: number): void {
    const thread = this.threadOnCpu[cpu];
    if (thread === null || thread === undefined) return;
    thread.sleptInLock = true;
    this.leaveCpu(thread);
  }

  /** The CPU's busy state as the scheduler has it (after a thread moved away from it). */
  refreshBusy(cpu: number): void {
    this.cpuState.setBusy(cpu, this.scheduler.isBusy(cpu));
  }

  /** Threads are waiting for a CPU. */
  get runnableWaiting(): number {
    return this.scheduler.runnableWaiting;
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
}
