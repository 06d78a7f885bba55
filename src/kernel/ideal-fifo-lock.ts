/**
 * Not Linux code: the abstract lock of queueing theory, a FIFO server whose
 * every handoff costs the same fixed time. It touches no cache line and
 * knows no topology, so a closed loop on it is exactly the machine-repairman
 * model (M/M/1//N, M/D/1//N) and an open stream exactly M/G/1: the lock
 * benchmark's closed-form checks run on it (docs/validation.md).
 *
 * Fairness: FIFO. Waiters: spin (their CPU stays busy) until granted.
 * Cache lines: none charged; a free lock is taken at once, and a release
 * grants the oldest waiter `handoffNs` later.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

export interface IdealFifoLockOptions {
  stats?: LockStats;
  /** Time from a release to the next holder holding, ns (0: instant). */
  handoffNs?: number;
}

export class IdealFifoLock extends ExclusiveSpinlock {
  private readonly waiters = new Deque<SpinWaiter>();
  private readonly handoffNs: number;

  constructor(context: KernelContext, name: string, options: IdealFifoLockOptions = {}) {
    // The line exists only because every exclusive lock has one; nothing writes it.
    super(context, name, new CacheLine(context, name), options.stats);
    this.handoffNs = options.handoffNs ?? 0;
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  protected override acquireFreeNs(): number {
    return 0;
  }

  protected enqueue(waiter: SpinWaiter): void {
    this.waiters.push(waiter);
  }

  protected handOff(): Handoff | undefined {
    const waiter = this.waiters.shift();
    return waiter === undefined ? undefined : { waiter, readyInNs: this.handoffNs };
  }
}
