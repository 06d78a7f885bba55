/**
 * The MCS queue lock (Mellor-Crummey and Scott, "Algorithms for scalable
 * synchronization on shared-memory multiprocessors", 1991), as Linux has it
 * in kernel/locking/mcs_spinlock.h: the queue inside the qspinlock, here on
 * its own, without the qspinlock's pending bit and lock-word spinning.
 *
 * Fairness: FIFO. An arrival swaps itself into the tail (xchg) and waits
 * behind its predecessor; no stealing.
 * Waiters: each spins on the `locked` flag of its own node, a line no one
 * else reads, so a release invalidates one cache, not every spinner's.
 * Cache lines: the tail word (one line with a home, `line`): written by
 * every arrival's xchg (queued at its home) and by a release that finds no
 * successor (the cmpxchg back to empty). A handoff writes the successor's
 * node: the releaser fetches the line from the spinning successor (one
 * transfer) and the successor's spin re-reads it (one transfer back), the
 * two O(1) line moves of a queue lock's handoff.
 * Simplified on purpose: node lines are not queued at any home (their homes
 * are spread over the CPUs' own memory); the arrival's write of its
 * predecessor's `next` pointer and the release's race with a successor that
 * has swapped the tail but not yet linked itself are not modelled.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

export interface McsSpinlockOptions {
  /** Where the lock reports its events (default: plain counters). */
  stats?: LockStats;
  /** NUMA node of the tail word's memory; defaults to the topology's globals node. */
  homeNode?: number;
}

export class McsSpinlock extends ExclusiveSpinlock {
  private readonly waiters = new Deque<SpinWaiter>();

  constructor(context: KernelContext, name: string, options: McsSpinlockOptions = {}) {
    super(context, name, new CacheLine(context, name, options.homeNode), options.stats);
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  protected override acquireFreeNs(cpu: number): number {
    const now = this.context.sim.now;
    return this.line.write(cpu, now) - now;
  }

  protected enqueue(waiter: SpinWaiter): void {
    // The xchg of the tail; the waiter then spins on its own node.
    this.line.write(waiter.cpu, this.context.sim.now);
    this.waiters.push(waiter);
  }

  protected handOff(releaserCpu: number): Handoff | undefined {
    const { sim, topology } = this.context;
    const waiter = this.waiters.shift();
    if (waiter === undefined) {
      // No successor: the cmpxchg of the tail back to empty.
      this.line.write(releaserCpu, sim.now);
      return undefined;
    }
    const home = this.line.homeNode;
    const readyInNs = topology.transferNs(waiter.cpu, releaserCpu, home) + topology.transferNs(releaserCpu, waiter.cpu, home);
    return { waiter, readyInNs };
  }
}
