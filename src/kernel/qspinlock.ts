/**
 * The Linux queued spinlock (kernel/locking/qspinlock.c,
 * include/asm-generic/qspinlock.h), the spinlock_t inside mount_lock and most
 * global kernel locks.
 *
 * Fairness: FIFO. While anyone waits the lock word is non-zero, so a
 * newcomer's fast-path cmpxchg fails and it queues; no stealing.
 * Waiters: spin on their own per-CPU MCS qnode, not on the lock line, so a
 * release causes no fan-out of re-reads on the lock line.
 * Cache lines: the lock word's line. An uncontended acquisition is one
 * transfer of it to the acquirer; each handoff is one transfer from releaser
 * to successor, queued at the line's home: O(1) transfers per handoff.
 * Simplified on purpose: the pending-bit stage and the head's spin on the
 * lock word are folded into the FIFO queue; the qnode lines and the
 * xchg_tail of an arriving waiter are not charged (about 4 transfers per
 * handoff in the real code, docs/kernel.md §4, against 1 here).
 * Deviation from the brief: `tryLock` is a generator (`yield* lock.tryLock(cpu)`)
 * because a successful cmpxchg costs the line transfer like `lock` does.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

export interface QSpinlockOptions {
  /** Where the lock reports its events (default: plain counters). */
  stats?: LockStats;
  /** The line holding the lock word; shared with a sequence count by `SeqLock`. */
  line?: CacheLine;
  /** NUMA node of the lock's memory; defaults to the topology's globals node. */
  homeNode?: number;
}

export class QSpinlock extends ExclusiveSpinlock {
  private readonly waiters = new Deque<SpinWaiter>();

  constructor(context: KernelContext, name: string, options: QSpinlockOptions = {}) {
    super(context, name, options.line ?? new CacheLine(context, name, options.homeNode), options.stats);
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  protected enqueue(waiter: SpinWaiter): void {
    this.waiters.push(waiter);
  }

  protected handOff(_releaserCpu: number): Handoff | undefined {
    const waiter = this.waiters.shift();
    if (waiter === undefined) return undefined;
    return { waiter, readyInNs: this.line.transferTo(waiter.cpu) };
  }
}
