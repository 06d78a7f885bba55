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
 *
 * `handoff: 'chain'` swaps this for the hand-off assumption of Boyd-Wickizer
 * et al.'s Markov chain (docs/validation.md): with k cores waiting or
 * holding, passing the lock costs c*k/2, c being one re-read's service at the
 * home (the machine's fanOutRead), and nothing queues at the home from one
 * release to the next; a free lock costs c/2 (k = 1). The default,
 * 'home-queue', charges what the coherence model says: each release's whole
 * re-read burst queued at the home, the next burst behind it.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { Deque, type RandomStream } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { ExclusiveSpinlock, type Handoff, type SpinWaiter } from './exclusive-spinlock.js';

/** How a handoff is charged: locksim's coherence model, or the Boyd-Wickizer chain's c*k/2. */
export type TicketHandoffModel = 'home-queue' | 'chain';

export interface TicketSpinlockOptions {
  /** Where the lock reports its events (default: plain counters). */
  stats?: LockStats;
  homeNode?: number;
  /** Draws the next holder's place in the re-read burst; defaults to stream `lock/<name>`. */
  stream?: RandomStream;
  /** Default 'home-queue'; 'chain' for the Boyd-Wickizer chain's assumption (see the header). */
  handoff?: TicketHandoffModel;
}

export class TicketSpinlock extends ExclusiveSpinlock {
  private readonly waiters = new Deque<SpinWaiter>();
  private readonly stream: RandomStream;
  readonly handoffModel: TicketHandoffModel;

  constructor(context: KernelContext, name: string, options: TicketSpinlockOptions = {}) {
    super(context, name, new CacheLine(context, name, options.homeNode), options.stats);
    this.stream = options.stream ?? context.sim.random.stream(`lock/${name}`);
    this.handoffModel = options.handoff ?? 'home-queue';
  }

  protected override acquireFreeNs(cpu: number): number {
    if (this.handoffModel === 'chain') return this.chainReadNs(cpu) / 2;
    return super.acquireFreeNs(cpu);
  }

  /** c of the chain: the home's service of one re-read by `cpu`'s unit. */
  private chainReadNs(cpu: number): number {
    const topology = this.context.topology;
    return topology.fanOutReadNs(topology.fanOutUnit(cpu), this.line.homeNode);
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
    const waiting = this.waiters.length;
    const waiter = this.waiters.shift();
    if (waiter === undefined) return undefined;
    // The chain's state k counts the waiters and the releasing holder.
    if (this.handoffModel === 'chain') return { waiter, readyInNs: (this.chainReadNs(waiter.cpu) * (waiting + 1)) / 2 };
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
