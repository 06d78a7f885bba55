/**
 * A seqlock as mount_lock uses it (fs/namespace.c: DEFINE_SEQLOCK(mount_lock);
 * include/linux/seqlock.h): a qspinlock and a sequence count, 8 bytes on ONE
 * 64-byte line.
 *
 * Writers: write_seqlock = spin_lock then seq++ (odd); write_sequnlock =
 * seq++ (even) then spin_unlock. Exclusive readers (read_seqlock_excl): the
 * spinlock only, no sequence bump. Writer fairness is the qspinlock's: FIFO.
 * Lockless readers (path_init's __read_seqcount_begin): while the count is
 * odd they spin reading the line (PAUSE loop), then take the even value;
 * `readRetry` tells an RCU walk whether a write happened since, so it must
 * fall back to ref-walk.
 * Cache lines: the shared line. The writer owns it from its spin_lock on; its
 * final seq++ invalidates every spinning reader, whose units re-read through
 * the home (fan-out); the spin_unlock handoff to the next writer then queues
 * at the home behind that burst. A reader is released when its own re-read
 * completes and sees the count it finds then: if another writer has already
 * made it odd again, the reader keeps spinning.
 * Simplified on purpose: a reader that finds the count even pays nothing (its
 * copy of the line is taken as valid); the first seq++ of a write section
 * causes no fan-out (parked readers already saw odd, and their re-reads are
 * folded into the one burst at write_sequnlock); readers are woken in the
 * order their units began spinning.
 */
import { CacheLine } from '../coherence/cache-line.js';
import { NORMAL, type ProcessBody, type SimEvent } from '../engine/index.js';
import type { KernelContext } from './context.js';
import type { LockStats } from './lock-stats.js';
import { QSpinlock } from './qspinlock.js';

interface ParkedReader {
  readonly cpu: number;
  readonly event: SimEvent<void>;
}

/** Counters of the lockless read side. */
export class SeqReaderStats {
  /** Completed read_seqcount_begin calls. */
  reads = 0;
  /** Reads that found the count odd and had to spin. */
  spunReads = 0;
  spinNs = 0;
  maxSpinNs = 0;
  /** readRetry calls that reported a moved count (RCU walk falls back). */
  retries = 0;
  readonly spinNsByCpu = new Map<number, number>();
}

export interface SeqLockOptions {
  homeNode?: number;
  /** Where the spinlock's events (writers and exclusive readers) are reported. */
  stats?: LockStats;
}

export class SeqLock {
  readonly line: CacheLine;
  readonly spinlock: QSpinlock;
  readonly readerStats = new SeqReaderStats();
  /** The sequence count: odd while a writer is inside its section. */
  sequence = 0;
  private parked: ParkedReader[] = [];
  // Scratch space for the fan-out schedule of parked readers (no allocation per write).
  private readonly parkedCpus: number[] = [];
  private parkedStartNs = new Float64Array(64);
  private writerCpu = -1;

  constructor(
    private readonly context: KernelContext,
    readonly name: string,
    options: SeqLockOptions = {},
  ) {
    this.line = new CacheLine(context, name, options.homeNode);
    this.spinlock = new QSpinlock(context, name, { line: this.line, stats: options.stats });
  }

  /** Writer-class counters (write sections and exclusive readers together). */
  get stats(): LockStats {
    return this.spinlock.stats;
  }

  get parkedReaders(): number {
    return this.parked.length;
  }

  /** write_seqlock(): spin_lock, then the count turns odd. */
  *writeLock(cpu: number): ProcessBody<void> {
    yield* this.spinlock.lock(cpu);
    this.sequence++;
    this.writerCpu = cpu;
  }

  /** write_seqlock() when the spinlock is free: see ExclusiveSpinlock.lockNowIfFree. */
  writeLockNowIfFree(cpu: number): number {
    const delayNs = this.spinlock.lockNowIfFree(cpu);
    if (delayNs < 0) return -1;
    this.sequence++;
    this.writerCpu = cpu;
    return delayNs;
  }

  /** __read_seqcount_begin() when the count is even (no spin): returns it; -1 if odd (use readBegin). */
  readBeginNowIfEven(_cpu: number): number {
    if ((this.sequence & 1) === 1) return -1;
    this.readerStats.reads++;
    return this.sequence;
  }

  /** write_sequnlock(): the count turns even, spinning readers re-read, then spin_unlock. */
  writeUnlock(cpu: number): void {
    if (this.writerCpu !== cpu) throw new Error(`${this.name}: cpu ${cpu} ends a write section it does not hold`);
    this.writerCpu = -1;
    this.sequence++;
    const { sim, topology } = this.context;
    const parked = this.parked;
    if (parked.length > 0 || this.line.spinnerCount > 0) {
      // Every CPU spinning on the line re-reads it, parked readers and any other spinner
      // (the launch model's background path walkers) alike.
      this.parked = [];
      if (this.parkedCpus.length < parked.length) this.parkedStartNs = new Float64Array(parked.length * 2);
      this.parkedCpus.length = 0;
      for (const reader of parked) this.parkedCpus.push(reader.cpu);
      this.line.fanOutInOrder(cpu, this.parkedCpus, this.parkedStartNs);
      for (let i = 0; i < parked.length; i++) {
        const reader = parked[i];
        const seenNs = this.parkedStartNs[i] + topology.transferNs(cpu, reader.cpu, this.line.homeNode);
        reader.event.succeed(undefined, NORMAL, seenNs - sim.now);
      }
      for (const reader of parked) this.line.removeSpinner(reader.cpu);
    }
    this.spinlock.unlock(cpu);
  }

  /** read_seqlock_excl(): excludes writers without moving the count. */
  *lockExclusive(cpu: number): ProcessBody<void> {
    yield* this.spinlock.lock(cpu);
  }

  unlockExclusive(cpu: number): void {
    if (this.writerCpu === cpu) throw new Error(`${this.name}: cpu ${cpu} ends a write section with unlockExclusive`);
    this.spinlock.unlock(cpu);
  }

  /** __read_seqcount_begin(): spins while the count is odd; returns the even count. */
  *readBegin(cpu: number): ProcessBody<number> {
    const sim = this.context.sim;
    const startNs = sim.now;
    while ((this.sequence & 1) === 1) {
      const event = sim.event<void>();
      this.parked.push({ cpu, event });
      this.line.addSpinner(cpu);
      this.context.cpuState.setSpinning(cpu, true);
      yield event;
      this.context.cpuState.setSpinning(cpu, false);
    }
    const spinNs = sim.now - startNs;
    const stats = this.readerStats;
    stats.reads++;
    if (spinNs > 0) {
      stats.spunReads++;
      stats.spinNs += spinNs;
      if (spinNs > stats.maxSpinNs) stats.maxSpinNs = spinNs;
      stats.spinNsByCpu.set(cpu, (stats.spinNsByCpu.get(cpu) ?? 0) + spinNs);
    }
    return this.sequence;
  }

  /** read_seqretry(): true if a write section began since `readBegin` returned `sequence`. */
  readRetry(sequence: number): boolean {
    const moved = this.sequence !== sequence;
    if (moved) this.readerStats.retries++;
    return moved;
  }
}
