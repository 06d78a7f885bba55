/**
 * Where a thread's time goes. At every instant a launch thread is in exactly
 * one category, so per-container totals add up to its launch latency and the
 * per-(pass, syscall) matrix gives the simulated flamegraph.
 *
 * The categories come from the kernel model's lock names, never from names
 * written here: per lock, in declaration order, `spin:<lock>` (spinning to
 * take it), then `spin:path_init` after the seqlock path walks read (lockless
 * readers spinning while its count is odd), then `sleep:<lock>` for a
 * sleeping lock (rwsem); then `cs:<lock>` per lock (inside its critical
 * section); then the fixed categories below. A kernel file with other locks
 * gets categories of its own.
 */
import type { KernelModel } from '../models/types.js';

/** Lockless readers spinning on the walk seqlock's count (path_init, prepend_path's first read). */
export const READER_SPIN = 'spin:path_init';
export const WALK = 'walk';
export const KERNEL_WORK = 'kernel work';
export const USER_WORK = 'user work';
export const RCU_GRACE_PERIOD = 'rcu grace period';
export const RUN_QUEUE = 'run queue';
export const OFF_CPU_WORK = 'off-cpu launch work';

const FIXED = [WALK, KERNEL_WORK, USER_WORK, RCU_GRACE_PERIOD, RUN_QUEUE, OFF_CPU_WORK] as const;

/** Category names of a kernel model, in the order time arrays use. */
export function timeCategoryNames(kernel: Pick<KernelModel, 'locks' | 'walkSeqlock'>): string[] {
  const names: string[] = [];
  for (const lock of kernel.locks) {
    names.push(`spin:${lock.name}`);
    if (lock.name === kernel.walkSeqlock) names.push(READER_SPIN);
    if (lock.kind === 'rwsem') names.push(`sleep:${lock.name}`);
  }
  for (const lock of kernel.locks) names.push(`cs:${lock.name}`);
  return [...names, ...FIXED];
}

/** A category during which the thread occupies a CPU. */
export function isOnCpu(category: string): boolean {
  return category.startsWith('spin:') || category.startsWith('cs:') || category === WALK || category === KERNEL_WORK || category === USER_WORK;
}

/** An on-CPU category spent waiting for a lock (the model's analogue of TMA's contested-access stalls). */
export function isLockWaiting(category: string): boolean {
  return category.startsWith('spin:');
}

/** A kernel model's categories with their indices, for the hot paths. */
export class TimeCategories {
  readonly names: readonly string[];
  readonly count: number;
  readonly readerSpin: number;
  readonly walk: number;
  readonly kernelWork: number;
  readonly userWork: number;
  readonly rcuGracePeriod: number;
  readonly runQueue: number;
  readonly offCpuWork: number;
  private readonly index = new Map<string, number>();

  constructor(kernel: Pick<KernelModel, 'locks' | 'walkSeqlock'>) {
    this.names = timeCategoryNames(kernel);
    this.count = this.names.length;
    this.names.forEach((name, i) => this.index.set(name, i));
    this.readerSpin = this.of(READER_SPIN);
    this.walk = this.of(WALK);
    this.kernelWork = this.of(KERNEL_WORK);
    this.userWork = this.of(USER_WORK);
    this.rcuGracePeriod = this.of(RCU_GRACE_PERIOD);
    this.runQueue = this.of(RUN_QUEUE);
    this.offCpuWork = this.of(OFF_CPU_WORK);
  }

  of(name: string): number {
    const index = this.index.get(name);
    if (index === undefined) throw new Error(`no time category \`${name}\``);
    return index;
  }

  spin(lock: string): number {
    return this.of(`spin:${lock}`);
  }

  sleep(lock: string): number {
    return this.of(`sleep:${lock}`);
  }

  section(lock: string): number {
    return this.of(`cs:${lock}`);
  }
}

/**
 * Time per (pass, procedure, category), summed over threads: the folded
 * stacks of where simulated time went. Procedure 0 is "outside any syscall".
 */
export class TimeMatrix {
  readonly values: Float64Array;

  constructor(
    readonly categories: TimeCategories,
    readonly passes: readonly string[],
    readonly procedures: readonly string[],
  ) {
    this.values = new Float64Array(passes.length * procedures.length * categories.count);
  }

  add(pass: number, procedure: number, category: number, ns: number): void {
    this.values[(pass * this.procedures.length + procedure) * this.categories.count + category] += ns;
  }

  /** Non-zero cells as folded stacks: launch;pass;procedure;category. */
  folded(root: string): { stack: string[]; weight: number }[] {
    const stacks: { stack: string[]; weight: number }[] = [];
    const count = this.categories.count;
    for (let p = 0; p < this.passes.length; p++) {
      for (let s = 0; s < this.procedures.length; s++) {
        for (let c = 0; c < count; c++) {
          const ns = this.values[(p * this.procedures.length + s) * count + c];
          if (ns > 0) stacks.push({ stack: [root, this.passes[p], this.procedures[s], this.categories.names[c]], weight: ns });
        }
      }
    }
    return stacks;
  }
}
