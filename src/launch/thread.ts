/**
 * A thread of execution on the node: a container's runtime work, systemd,
 * kubelet. It carries what the interpreter needs to run it (its CPU, the
 * syscall and pass it is in) and what it observed (time per category, mount
 * operations, syscalls).
 */
import type { RwSemaphore, SectionPlan } from '../kernel/index.js';

export class KernelThread {
  /** CPU the thread runs on, -1 while off CPU. */
  cpu = -1;
  /** ns per time category (the world's TimeCategories order). */
  readonly timeNs: Float64Array;
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
  /** The interpreter's reusable plan for this thread's contended sections (null until the first). */
  sectionRequest: SectionPlan | null = null;
  /** Calls per syscall name. */
  readonly syscallCounts = new Map<string, number>();
  /**
   * Mounts this thread opened an fd on (open_tree) and has not unmounted,
   * oldest first: until when a forked helper holding that fd lives, ns (0: none).
   */
  readonly mountFds: number[] = [];
  /** Between an `fd: open` and its `fd: close`. */
  fdOpen = false;
  /** Set by a `busy: return` step that found the mount busy; read when the call returns. */
  busyReturned = false;

  constructor(
    readonly id: number,
    readonly name: string,
    /** Image layers of this launch (0 for non-launch threads). */
    readonly layers: number,
    /** CPU the placement policy would like it on. */
    readonly preferredCpu: number,
    categories: number,
  ) {
    this.timeNs = new Float64Array(categories);
  }
}
