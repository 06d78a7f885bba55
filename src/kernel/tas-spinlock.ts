/**
 * Test-and-set (`tas`) and test-and-test-and-set (`ttas`) spinlocks: the
 * unfair lock x86 guests fall back to without paravirt spinlocks
 * (virt_spin_lock, arch/x86/include/asm/qspinlock.h), and the global lock
 * word Netflix's pause_bench spins on with PAUSE.
 *
 * Fairness: none. At a release every waiter races; the winner is drawn
 * uniformly among the waiters (named random stream).
 * Waiters: `ttas` spin reading the lock line and attempt the atomic only when
 * they see it free; `tas` spin issuing atomics on it.
 * Cache lines: the lock line. `ttas`: the release write invalidates every
 * spinner, each spinning unit re-reads through the home (fan-out), then the
 * winner's atomic is one more transfer, queued behind the re-reads. `tas`:
 * every spinner's atomic is an ownership transfer served one at a time by the
 * home; at a release the winner's atomic goes first, the losers' failed
 * atomics follow and occupy the home (and leave the line at the last loser),
 * so the next release queues behind them.
 * Simplified on purpose: spinners race once per release instead of retrying
 * continuously while the lock is held; ttas losers' failed atomics and the
 * re-reads they trigger are not charged; a newcomer cannot steal the lock
 * between a release and the winner's atomic (the lock is reserved for it).
 */
import { CacheLine } from '../coherence/cache-line.js';
import type { RandomStream } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

export type TasMode = 'tas' | 'ttas';

export interface TasSpinlockOptions {
  /** Where the lock reports its events (default: plain counters). */
  stats?: LockStats;
  mode?: TasMode;
  homeNode?: number;
  /** Draws each race's winner; defaults to stream `lock/<name>`. */
  stream?: RandomStream;
}

export class TasSpinlock extends ExclusiveSpinlock {
  readonly mode: TasMode;
  // Arrival order, so a draw over indices is deterministic.
  private readonly waiters: SpinWaiter[] = [];
  private readonly stream: RandomStream;

  constructor(context: KernelContext, name: string, options: TasSpinlockOptions = {}) {
    super(context, name, new CacheLine(context, name, options.homeNode), options.stats);
    this.mode = options.mode ?? 'ttas';
    this.stream = options.stream ?? context.sim.random.stream(`lock/${name}`);
  }

  get queueLength(): number {
    return this.waiters.length;
  }

  protected enqueue(waiter: SpinWaiter): void {
    this.waiters.push(waiter);
    this.line.addSpinner(waiter.cpu);
  }

  protected override stopSpinning(cpu: number): void {
    this.line.removeSpinner(cpu);
  }

  protected handOff(releaserCpu: number): Handoff | undefined {
    if (this.waiters.length === 0) return undefined;
    const now = this.context.sim.now;
    const writtenNs = now + this.line.transferTo(releaserCpu);
    const index = this.stream.integer(this.waiters.length);
    const waiter = this.waiters[index];
    this.waiters.splice(index, 1);
    if (this.mode === 'ttas') {
      // The winner's atomic reaches the home after the burst it is part of;
      // an SMT sibling of the releaser takes the line without the home.
      this.line.fanOut(releaserCpu, writtenNs);
      return { waiter, readyInNs: this.line.transferTo(waiter.cpu, writtenNs) };
    }
    const readyInNs = this.line.transferTo(waiter.cpu, writtenNs);
    for (const loser of this.waiters) this.line.transferTo(loser.cpu, writtenNs);
    return { waiter, readyInNs };
  }
}
