/**
 * Where a thread's time goes. At every instant a launch thread is in exactly
 * one category, so per-container totals add up to its launch latency and the
 * per-(pass, syscall) matrix gives the simulated flamegraph.
 */

export const TIME_CATEGORIES = [
  'spin:mount_lock',
  'spin:path_init',
  'spin:namespace_sem',
  'sleep:namespace_sem',
  'cs:mount_lock',
  'cs:namespace_sem',
  'walk',
  'kernel work',
  'user work',
  'rcu grace period',
  'run queue',
  'off-cpu launch work',
] as const;

export type TimeCategory = (typeof TIME_CATEGORIES)[number];

export const CATEGORY = Object.fromEntries(TIME_CATEGORIES.map((name, index) => [name, index])) as Record<TimeCategory, number>;
export const CATEGORY_COUNT = TIME_CATEGORIES.length;

/** Categories during which the thread occupies a CPU. */
export const ON_CPU: ReadonlySet<number> = new Set(
  (['spin:mount_lock', 'spin:path_init', 'spin:namespace_sem', 'cs:mount_lock', 'cs:namespace_sem', 'walk', 'kernel work', 'user work'] as const).map((c) => CATEGORY[c]),
);

/** On-CPU categories that are waiting for a lock (the model's analogue of TMA's contested-access stalls). */
export const LOCK_WAITING: ReadonlySet<number> = new Set((['spin:mount_lock', 'spin:path_init', 'spin:namespace_sem'] as const).map((c) => CATEGORY[c]));

/**
 * Time per (pass, procedure, category), summed over threads: the folded
 * stacks of where simulated time went. Procedure 0 is "outside any syscall".
 */
export class TimeMatrix {
  readonly values: Float64Array;

  constructor(
    readonly passes: readonly string[],
    readonly procedures: readonly string[],
  ) {
    this.values = new Float64Array(passes.length * procedures.length * CATEGORY_COUNT);
  }

  add(pass: number, procedure: number, category: number, ns: number): void {
    this.values[(pass * this.procedures.length + procedure) * CATEGORY_COUNT + category] += ns;
  }

  /** Non-zero cells as folded stacks: launch;pass;procedure;category. */
  folded(root: string): { stack: string[]; weight: number }[] {
    const stacks: { stack: string[]; weight: number }[] = [];
    for (let p = 0; p < this.passes.length; p++) {
      for (let s = 0; s < this.procedures.length; s++) {
        for (let c = 0; c < CATEGORY_COUNT; c++) {
          const ns = this.values[(p * this.procedures.length + s) * CATEGORY_COUNT + c];
          if (ns > 0) stacks.push({ stack: [root, this.passes[p], this.procedures[s], TIME_CATEGORIES[c]], weight: ns });
        }
      }
    }
    return stacks;
  }
}
