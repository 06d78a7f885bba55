/**
 * The Linux queued spinlock (kernel/locking/qspinlock.c,
 * include/asm-generic/qspinlock.h), the spinlock_t inside mount_lock and most
 * global kernel locks.
 *
 * Fairness: FIFO. While anyone waits the lock word is non-zero, so a
 * newcomer's fast-path cmpxchg fails and it queues; no stealing.
 * Waiters: the first (the pending waiter, later the MCS queue head) spins on
 * the lock word; the others spin on their own per-CPU MCS node.
 * Cache lines: every store to the lock word is a write of its line
 * (`CacheLine.write`), which invalidates the copies of everyone spinning on
 * it, who re-read through the line's home:
 * - the fast-path cmpxchg of a free lock (docs/kernel.md §4);
 * - an arriving waiter's atomic on the word: the pending bit for the first,
 *   xchg_tail for the rest (qspinlock.c queued_spin_lock_slowpath);
 * - spin_unlock's store of the locked byte;
 * - the head's set_locked / cmpxchg once it sees the word free. It sees the
 *   release when its own re-read is served, so its write queues at the home
 *   behind the whole re-read burst (the home serves in arrival order).
 * The head's place passes to the next waiter by a write to that waiter's
 * MCS node (one transfer between the two CPUs, on a line of its own), after
 * which the new head reads the lock word and spins on it.
 * Simplified on purpose: the MCS node lines are not queued at any home, and
 * a waiter that arrives while the pending bit is set is charged one write
 * like every other arrival.
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
  /**
   * Called when spin_unlock's store has landed and the spinners' re-reads
   * are placed at the home, before the next holder's write (a seqlock wakes
   * its readers here: their re-reads are in the same burst).
   */
  afterReleaseWrite: ((releaserCpu: number) => void) | null = null;
  /** Called when a section requested with `requestSection` is granted (a seqlock's write turns the count odd here). */
  beforeSection: ((cpu: number, grantedAtNs: number) => void) | null = null;
  private readonly waiters = new Deque<SpinWaiter>();

  constructor(context: KernelContext, name: string, options: QSpinlockOptions = {}) {
    super(context, name, options.line ?? new CacheLine(context, name, options.homeNode), options.stats);
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  protected override onGrant(cpu: number, grantedAtNs: number): void {
    this.beforeSection?.(cpu, grantedAtNs);
  }

  protected override acquireFreeNs(cpu: number): number {
    const now = this.context.sim.now;
    return this.line.write(cpu, now) - now;
  }

  protected enqueue(waiter: SpinWaiter): void {
    // The pending bit or xchg_tail: one atomic on the lock word.
    const writtenNs = this.line.write(waiter.cpu, this.context.sim.now);
    this.waiters.push(waiter);
    if (this.waiters.length === 1) this.line.addSpinner(waiter.cpu, writtenNs);
  }

  protected handOff(releaserCpu: number): Handoff | undefined {
    const { sim, topology } = this.context;
    const now = sim.now;
    const line = this.line;
    line.write(releaserCpu, now);
    this.afterReleaseWrite?.(releaserCpu);
    const waiter = this.waiters.shift();
    if (waiter === undefined) return undefined;
    const seenNs = line.burstReadNs(topology.fanOutUnit(waiter.cpu)) + topology.transferNs(releaserCpu, waiter.cpu, line.homeNode);
    line.removeSpinner(waiter.cpu);
    const lockedNs = line.write(waiter.cpu, seenNs);
    const next = this.waiters.peek();
    if (next !== undefined) line.addSpinner(next.cpu, lockedNs + topology.transferNs(waiter.cpu, next.cpu, line.homeNode));
    return { waiter, readyInNs: lockedNs - now };
  }
}
