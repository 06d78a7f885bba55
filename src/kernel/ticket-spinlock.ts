/**
 * A ticket spinlock: Linux's x86 spinlock before 4.2 (arch_spinlock_t with
 * head/tail tickets), kept for validation against Boyd-Wickizer et al.,
 * "Non-scalable locks are dangerous" (2012).
 *
 * Fairness: FIFO by ticket.
 * Waiters: every waiter spins reading the one lock line (now_serving).
 * Cache lines: the lock line. A release is a write by the holder (a transfer
 * of the line to it from the last writer), which invalidates every spinner:
 * each spinning fan-out unit re-reads through the home, serially. The next
 * ticket holder's re-read is served at a uniformly random place in that
 * burst, so the time to pass the lock grows linearly with the waiters.
 * Simplified on purpose: the arriving waiter's fetch-and-add on the tail is
 * not charged (as for the qspinlock's xchg_tail); the reads in a burst are
 * taken as equally long when placing the next holder (its own read excluded).
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque, type RandomStream } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

export interface TicketSpinlockOptions {
  /** Where the lock reports its events (default: plain counters). */
  stats?: LockStats;
  homeNode?: number;
  /** Draws the next holder's place in the re-read burst; defaults to stream `lock/<name>`. */
  stream?: RandomStream;
}

export class TicketSpinlock extends ExclusiveSpinlock {
  private readonly waiters = new Deque<SpinWaiter>();
  private readonly stream: RandomStream;

  constructor(context: KernelContext, name: string, options: TicketSpinlockOptions = {}) {
    super(context, name, new CacheLine(context, name, options.homeNode), options.stats);
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
    const waiter = this.waiters.shift();
    if (waiter === undefined) return undefined;
    const { sim, topology } = this.context;
    const writtenNs = sim.now + this.line.transferTo(releaserCpu);
    const burst = this.line.fanOut(releaserCpu, writtenNs);
    const moveNs = topology.transferNs(releaserCpu, waiter.cpu, this.line.homeNode);
    const unit = topology.fanOutUnit(waiter.cpu);
    if (unit === topology.fanOutUnit(releaserCpu) || burst.units === 0) {
      return { waiter, readyInNs: writtenNs + moveNs - sim.now };
    }
    const place = this.stream.integer(burst.units);
    const othersNs = burst.units > 1 ? (burst.totalNs - this.line.unitReadNs(unit)) / (burst.units - 1) : 0;
    return { waiter, readyInNs: burst.startNs + place * othersNs + moveNs - sim.now };
  }
}
